"""Securing credentials and checking what secures them, one module per proof format:

- ``data_integrity``: Data Integrity proofs (create, add, verify) over the cryptosuites in
  ``suites/`` (eddsa-rdfc-2022, eddsa-jcs-2022, ecdsa-rdfc-2019, ecdsa-jcs-2019,
  ecdsa-sd-2023, Ed25519Signature2020 and 2018), looked up in ``registry``;
- ``selective_disclosure``: ecdsa-sd-2023 base proofs and derived disclosures;
- ``jwt``: VC-JWT (the OB 3.0 form, and the VC 1.1 ``vc`` claim); ``jose``: VC-JOSE-COSE;
  ``jws``: the compact JWS underneath both;
- ``hashing``: the digests the suites use.

Issuers and verifiers use these through :mod:`vcbadge.issue` and :mod:`vcbadge.verify`.
"""
