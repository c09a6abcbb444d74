"""Forum search, the good-practice library, nominations and promotion (forum blueprint)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.core.errors import ServiceError
from app.core.pagination import Page, page_number
from app.core.permissions import Role, role_required
from app.core.responses import ViewResult, invalid, page_status
from app.forum import forms
from app.forum import index as forum_search
from app.forum.services import library
from app.forum.services import posts as services
from app.moderation.services import second_person
from app.search import SearchResult


def _pages(result: SearchResult | None) -> Page[None] | None:
    """The pager's view of a search result."""
    if result is None:
        return None
    return Page(items=[], page=result.page, per_page=result.per_page, total=result.total)


def _text_arg(name: str, limit: int = 2000) -> str:
    return (request.args.get(name) or "")[:limit]


def search() -> str:
    text, category = _text_arg("q"), _text_arg("category", 120)
    sort = _text_arg("sort", 20) or "relevance"
    result: SearchResult | None = None
    hits: list[forum_search.PostHit] = []
    if text or category:
        result, hits = forum_search.search_posts(
            current_user, text, category, sort, page_number(request.args.get("page"))
        )
    return render_template(
        "forum/search.html",
        q=text,
        category=category,
        sort=sort,
        result=result,
        hits=hits,
        unlisted=forum_search.UNLISTED,
        names=forum_search.category_names(),
        pages=_pages(result),
    )


def library_index() -> str:
    text = _text_arg("q")
    tags = [tag[:40] for tag in request.args.getlist("tag")[:10] if tag]
    sort = _text_arg("sort", 20) or ("relevance" if text else "newest")
    result, entries = forum_search.search_library(
        text, tags, sort, page_number(request.args.get("page"))
    )
    return render_template(
        "forum/library.html",
        q=text,
        tags=tags,
        sort=sort,
        result=result,
        entries=entries,
        pages=_pages(result),
    )


def library_entry(slug: str) -> str:
    entry = library.get_entry(slug)
    return render_template("forum/library_entry.html", entry=entry)


def nominate(post_id: int) -> ViewResult:
    post = services.get_visible_post(current_user, post_id)
    form = forms.NominationForm()
    if form.validate_on_submit():
        try:
            library.nominate(current_user, post, form.note.data or "")
        except ServiceError as error:
            return invalid("forum/nominate.html", error, form=form, post=post)
        flash(_("Thank you: a moderator will consider this post for the library."), "success")
        return redirect(url_for("forum.post_link", post_id=post.id))
    return render_template("forum/nominate.html", form=form, post=post), page_status(form)


def _fields(form: forms.LibraryEntryForm) -> library.EntryFields:
    return library.EntryFields(
        title=form.title.data or "",
        summary=form.summary.data or "",
        tags=form.tags.data or "",
        cases=form.cases.data or "",
        modules=form.modules.data or "",
    )


@role_required(Role.MODERATOR)
def promote(nomination_id: int) -> ViewResult:
    nomination = library.get_open_nomination(nomination_id)
    form = forms.LibraryEntryForm()
    if form.validate_on_submit():
        try:
            entry = library.promote(
                current_user,
                nomination.id,
                _fields(form),
                form.reason.data or "",
                bool(form.confirm_self.data),
            )
        except ServiceError as error:
            return invalid("forum/library_form.html", error, form=form, nomination=nomination,
                           self_approval=_self_approval(nomination.id))  # fmt: skip
        flash(_("The good practice is in the library."), "success")
        return redirect(url_for("forum.library_entry", slug=entry.slug))
    if not form.is_submitted():
        draft = library.draft_for(nomination)
        form.title.data, form.summary.data = draft.title, draft.summary
    page = render_template(
        "forum/library_form.html",
        form=form,
        nomination=nomination,
        self_approval=_self_approval(nomination.id),
    )
    return page, page_status(form)


def _self_approval(nomination_id: int) -> str:
    """ "" when the moderator may promote; else "refused" (another moderator must) or "sole"."""
    authors = library.nomination_authors(nomination_id)
    if current_user.id not in authors:
        return ""
    return "refused" if second_person.other_deciders(authors) else "sole"


@role_required(Role.MODERATOR)
def edit_library_entry(slug: str) -> ViewResult:
    entry = library.get_entry(slug)
    form = forms.LibraryEntryForm()
    remove = forms.RemoveEntryForm(prefix="remove")
    if form.validate_on_submit():
        try:
            library.update_entry(current_user, slug, _fields(form), form.reason.data or "")
        except ServiceError as error:
            return invalid("forum/library_form.html", error, form=form, entry=entry, remove=remove)
        flash(_("The entry is saved."), "success")
        return redirect(url_for("forum.library_entry", slug=entry.slug))
    if not form.is_submitted():
        form.title.data, form.summary.data, form.tags.data = entry.title, entry.summary, entry.tags
        form.cases.data, form.modules.data = entry.case_slugs, entry.module_slugs
    return render_template("forum/library_form.html", form=form, entry=entry, remove=remove), (
        page_status(form)
    )


@role_required(Role.MODERATOR)
def remove_library_entry(slug: str) -> ViewResult:
    form = forms.RemoveEntryForm(prefix="remove")
    if not form.validate_on_submit():
        raise ServiceError(_("Give a reason for removing the entry (at most 2000 characters)."))
    library.remove_entry(current_user, slug, form.reason.data)
    flash(_("The entry was removed from the library."), "success")
    return redirect(url_for("forum.library_index"))


def library_entry_by_id(entry_id: int) -> Response:
    """Stable address of an entry (the audit log links here; slugs may change)."""
    return redirect(url_for("forum.library_entry", slug=library.entry_by_id(entry_id).slug))
