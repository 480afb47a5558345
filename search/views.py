from django.template.response import TemplateResponse


def search(request):
    """Placeholder until the search issue lands: the page exists in every language."""
    query = request.GET.get("q", "")
    return TemplateResponse(request, "search/search.html", {"search_query": query, "results": []})
