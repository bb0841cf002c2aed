from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """``count``/``next``/``previous``/``results``; clients may ask for up to 1,000 rows."""

    page_size_query_param = "page_size"
    max_page_size = 1000
