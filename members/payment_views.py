"""Paying a membership: the Payment Element page, the return page, transfers and cheques."""

from django.http import Http404


def _todo(request, pk):
    raise Http404


pay = payment_return = payment_status = offline = bulletin_pdf = renew = _todo
