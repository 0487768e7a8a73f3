"""JSON-LD for signatures, offline and strict:

- ``loader``: the document loader, serving only the bundled contexts (``contexts``) and the
  documents a caller gives; nothing is fetched;
- ``rdfc``: RDFC-1.0 canonicalization in safe mode (``safe_mode``: anything that would be
  dropped from the signed statements is an error), with a compiled path for documents whose
  contexts are URLs or inline objects at the top (``compiled``) and a one-pass RDF emitter
  (``fast_rdf``), both checked byte for byte against pyld's path;
- ``nquads``: N-Quads parsing and serialization; ``jcs``: JSON Canonicalization (RFC 8785);
- ``related_resource``: ``relatedResource`` digests of the bundled contexts.
"""
