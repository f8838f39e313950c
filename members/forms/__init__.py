"""The members' public forms, one module a subject: bulletin (the bulletin d'adhésion's parts),
organisations (an organisation's details), contacts (a contact's own details, inviting a
person), accounts (passwords: the reset, an invitation's signup). The admin's forms are in
members/admin_forms.py.

Every rule that matters also holds in the database (unique RNA/SIRET, one contact per person and
organisation, unique e-mails whatever their case); these forms say it in French first."""
