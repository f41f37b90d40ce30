"""Request parsers of the API: every operation takes a JSON object, so any other top-level JSON value
(a list, a string, a number) is refused with a 400 before a view reads ``request.data.get``."""

from __future__ import annotations

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class ObjectJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if not isinstance(data, dict):
            raise ParseError('请求体须为 JSON 对象，例如 {"name": "…"}。')
        return data
