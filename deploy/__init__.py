"""The production topology on one machine (`make prod`) and its proof (`make prodcheck`)."""
