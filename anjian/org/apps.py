from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "anjian.org"
    label = "org"
    verbose_name = "组织机构"

    def ready(self) -> None:
        from anjian.core.audit import ACTIONS

        # The bureau's own administration of its organisation (issue 10 item 1; org.services).
        ACTIONS.update(
            {
                "agency.update": "修改机关信息",
                "department.create": "新增科室",
                "department.update": "修改科室",
                "membership.end": "结束任职",
                "membership.roles": "变更角色",
                "staff.legal_qualification": "登记法律职业资格",
                "staff.safety_qualification": "登记安全生产专业学历和实践经验",
                "staff.update": "更正人员信息",
                "staff.transfer_in": "人员调入",
                "staff.import": "Excel导入人员和执法证",
            }
        )
