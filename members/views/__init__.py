"""The member portal's pages, one module a subject: accounts, portal, contacts, invitations,
payments, receipts. Each contact sees only the organisations they act for."""
