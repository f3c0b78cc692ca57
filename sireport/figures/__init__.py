"""The arithmetic: Decimal figures computed from the data, targets, scoring of the
绩效自评表 and the roll-up of units; and a figure's printed form (``printed``). No I/O."""
