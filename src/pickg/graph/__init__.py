"""The graph room: where the data is read, held and written.

Namespaces, workspace paths, errors, reading and writing RDF, the store interface and
its two implementations, term conversion between rdflib and pyoxigraph, terms written
into SPARQL text, labels, files written atomically. It imports nothing of pickg
outside itself; every other room builds on it.
"""
