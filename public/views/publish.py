"""Publishing from the review page: the supervisor's last step, served by the public app.

It sits here, not in review, because it writes the Publication the public pages read.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from public import services as public_services
from review.forms import PublishForm
from review.views.review import review_act


@login_required
@require_POST
def review_publish(request, pk: int):
    """Publish an approved report (a correction needs a note)."""
    return review_act(
        request,
        pk,
        "publish",
        PublishForm,
        lambda report, data: public_services.report_publish(
            report=report,
            acting_user=request.user,
            published_on=data["published_on"],
            correction_note=data.get("correction_note", ""),
        ),
        _("报告已发布。"),
        form_kwargs=lambda report: {"correction": report.current_publication_id is not None},
    )


urlpatterns = [
    path("review/<int:pk>/publish/", review_publish, name="review_publish"),
]
