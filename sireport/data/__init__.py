"""The data: its model (pydantic), loading from YAML/JSON/Excel with positions, saving,
thresholds, fund names, ``from:`` references and the JSON Schema."""
