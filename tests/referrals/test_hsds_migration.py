"""The migration that gives partners their HSDS id fills the rows that already exist."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def _hsds_migration(executor):
    """Found by name rather than number: branches renumber migrations when they merge."""
    (key,) = [
        key
        for key in executor.loader.disk_migrations
        if key[0] == "referrals" and key[1].endswith("_partner_hsds_id")
    ]
    migration = executor.loader.disk_migrations[key]
    (before,) = [dep for dep in migration.dependencies if dep[0] == "referrals"]
    return key, before


@pytest.mark.django_db(transaction=True)
def test_existing_partners_get_distinct_ids():
    executor = MigrationExecutor(connection)
    target, before = _hsds_migration(executor)
    leaves = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate([before])
        executor.loader.build_graph()
        Partner = executor.loader.project_state([before]).apps.get_model("referrals", "Partner")
        for n in range(3):
            Partner.objects.create(
                name=f"P{n}",
                slug=f"p{n}",
                kind="coaching",
                description_fr="x",
                url="https://x.org/",
            )
        executor = MigrationExecutor(connection)
        executor.migrate([target])
        executor.loader.build_graph()
        Partner = executor.loader.project_state([target]).apps.get_model("referrals", "Partner")
        ids = list(Partner.objects.values_list("hsds_id", flat=True))
        assert len(ids) == len(set(ids)) == 3 and None not in ids
    finally:
        MigrationExecutor(connection).migrate(leaves)
