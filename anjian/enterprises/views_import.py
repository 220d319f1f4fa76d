from django.http import HttpResponse


def _todo(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse("TODO")


enterprise_export = import_upload = import_template = import_preview = import_rejected = _todo
