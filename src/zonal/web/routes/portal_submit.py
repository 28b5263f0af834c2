"""Filing a complaint from the portal: check the screenshots, submit, then attach them.

The services attach files to an existing case through its receipt, so the files are checked
before anything is submitted: a wrong file is a field error, never half a complaint.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.datastructures import UploadFile

from zonal.bootstrap import ComplaintsSetup
from zonal.complaints.domain.attachments import MAX_BYTES, check_upload, safe_name
from zonal.complaints.domain.errors import PlaceAmbiguous
from zonal.complaints.views import SubmissionReceipt
from zonal.errors import InputError, NotFoundError
from zonal.services import complaints as services
from zonal.web.i18n import Gettext
from zonal.web.routes.portal_forms import ComplaintForm, place_choices
from zonal.web.routes.portal_support import MAX_FILES

# Stricter than the service (which also takes GIF and WebP): the portal asks for screenshots
# and PDFs, and says so.
PORTAL_TYPES = frozenset({"image/png", "image/jpeg", "application/pdf"})


@dataclass(frozen=True)
class Upload:
    filename: str
    content: bytes


def checked_uploads(files: list[UploadFile], form: ComplaintForm, _: Gettext) -> list[Upload]:
    """The chosen files, read and checked by content; problems go to form.errors["files"]."""
    if len(files) > MAX_FILES:
        form.errors["files"] = _("Send at most %(count)s files.", count=MAX_FILES)
        return []
    found: list[Upload] = []
    for upload in files:
        content = upload.file.read(MAX_BYTES + 1)
        name = safe_name(upload.filename or "")
        try:
            if check_upload(name, content).media_type not in PORTAL_TYPES:
                raise InputError(name)
        except InputError:
            form.errors["files"] = _(
                "The file %(name)s cannot be added. Send a PNG or JPEG picture or a PDF of at"
                " most 10 MB.",
                name=name,
            )
            return []
        found.append(Upload(name, content))
    return found


def file_complaint(
    setup: ComplaintsSetup,
    form: ComplaintForm,
    files: list[Upload],
    client: str,
    _: Gettext,
) -> SubmissionReceipt | None:
    """Submit `form.data` and attach `files`; None (with errors on the form) if the place fails."""
    assert form.data is not None
    try:
        receipt = services.submit_complaint(setup.uow(), form.data)
    except PlaceAmbiguous:
        _ask_municipality(setup, form, _)
        return None
    except (NotFoundError, InputError):
        form.errors["postal_code"] = _(
            "We cannot find the police zone for this place. Check the postal code and the"
            " municipality."
        )
        return None
    for upload in files:
        services.attach_file(
            setup.uow(),
            setup.files,
            receipt.reference,
            receipt.receipt_code,
            upload.filename,
            upload.content,
            client,
        )
    return receipt


def _ask_municipality(setup: ComplaintsSetup, form: ComplaintForm, _: Gettext) -> None:
    registry = setup.policy.registry
    resolution = registry.zones_for_postal_code(form.value("postal_code").strip())
    place_choices(
        form, resolution.municipalities, registry, form.data.language if form.data else "en", _
    )
