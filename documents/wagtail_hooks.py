from wagtail import hooks

from visibility.media import document_access


@hooks.register("before_serve_document")
def refuse_documents_of_hidden_projects(document, request):
    """A project's file is as visible as the project: others get a 404 (visibility.policy)."""
    document_access(document, request)
