"""``suanli capacity …`` commands."""

from __future__ import annotations

import typer

app = typer.Typer(help="Compute capacity: catalog look-ups, peaks of inventories, shipment-based estimates.",
                  no_args_is_help=True)
