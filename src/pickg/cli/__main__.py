"""``python -m pickg.cli``: the same as the ``pickg`` command."""

from pickg.cli import main

if __name__ == "__main__":
    main(prog_name="pickg")
