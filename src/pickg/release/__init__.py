"""The release room: a versioned open-data release, built completely or not at all.

Reading the sources once, the validation gate, the dumps, the CSV tables, the DCAT
metadata, the changes since the last release, the documents for people, the ontology
page, staging and the atomic commit, and the release chosen for serving or pushing.
It imports the graph, queries and validation rooms.
"""
