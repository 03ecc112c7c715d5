"""The partner directory in Open Referral's Human Services Data Specification (HSDS 3.0).

One Partner is one HSDS service with its organization: ``serialise`` writes the
directory out (the public API under /api/hsds/ and the downloadable datapackage),
``importer`` reads an HSDS datapackage back in (``reader`` reads the file and checks it
against the schemas). The official JSON schemas are vendored in ``schema/`` (see its
README).
"""
