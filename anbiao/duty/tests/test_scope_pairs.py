"""The duty models' scope-matrix pairs really sit on either side of the sibling boundary."""

from anbiao.core.scope import Scope
from anbiao.duty.testing import PAIRS


def test_every_duty_model_with_a_scope_spec_has_a_pair_on_either_side_of_the_sibling_boundary(world):
    from django.apps import apps

    scoped = {m for m in apps.get_app_config("duty").get_models() if hasattr(m, "scope_spec")}
    assert scoped == set(PAIRS)
    scope_a = Scope.for_user(world.admin_a)
    scope_b = Scope.for_user(world.admin_b)
    for model in scoped:
        inside, outside = world.in_a_and_b(model)
        visible = model._default_manager.visible_to(scope_a)
        assert visible.filter(pk=inside.pk).exists(), model
        assert not visible.filter(pk=outside.pk).exists(), model
        assert model._default_manager.visible_to(scope_b).filter(pk=outside.pk).exists(), model
