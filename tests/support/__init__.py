"""Helpers shared by the test rooms: processes, servers, SHACL peers, catalogue runs."""
