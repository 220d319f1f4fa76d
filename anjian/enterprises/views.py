from django.http import HttpResponse


def _todo(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse("TODO")


enterprise_list = enterprise_create = enterprise_detail = enterprise_edit = enterprise_status = _todo
enterprise_transfer = enterprise_subject = child_create = child_edit = child_delete = _todo
