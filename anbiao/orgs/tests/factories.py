import itertools

import factory

from anbiao.orgs.choices import OrgKind, SizeClass
from anbiao.orgs.models import Industry, Organization
from anbiao.orgs.uscc import check_char

_serial = itertools.count(1)


def valid_uscc(n: int | None = None) -> str:
    n = next(_serial) if n is None else n
    body = f"91350521{n:08d}X"
    body = body.replace("X", "A")
    return body + check_char(body)


def enterprise_data(**overrides) -> dict:
    data = {
        "name": f"测试企业{next(_serial)}",
        "uscc": valid_uscc(),
        "industry": Industry.objects.get(code="retail"),
        "size_class": SizeClass.SMALL,
        "principal_name": "张三",
        "principal_phone": "13800000000",
    }
    data.update(overrides)
    return data


class OrganizationFactory(factory.django.DjangoModelFactory):
    """A unit placed under ``parent`` through the service, so its path is right."""

    class Meta:
        model = Organization

    kind = OrgKind.GRASSROOTS
    name = factory.Sequence(lambda n: f"测试单位{n}")
    code = factory.Sequence(lambda n: f"F{n}")

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        from anbiao.core.testing import system_scope
        from anbiao.orgs import services

        root = parent
        while root.parent_id:
            root = root.parent
        return services.organization_create(actor=None, scope=system_scope(root), parent=parent, **kwargs)
