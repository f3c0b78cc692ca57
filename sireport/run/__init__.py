"""Orchestration: render one report or project table, batch many units in worker
processes, make next year's file. Used by the library API and the CLI."""
