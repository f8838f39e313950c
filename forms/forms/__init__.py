"""The volunteer matching's public forms, one module a subject: `needs` (« Déposer un besoin »),
`offers` (« Proposer mes compétences »), `listing` (the filters and the interest form of the
public lists), and `fields`, what they share."""
