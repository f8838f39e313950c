"""A second factor for staff (OWASP ASVS L2, V2.7/V2.8), one module a subject: policy (who may,
who must, what a session must still do), devices (the TOTP device, the codes, the recovery
codes), middleware (the admins closed until the code is typed), and the pages under /admin/2fa/
(views, forms, urls).

Everyone who may enter Wagtail's admin may enrol a TOTP device (an authenticator app); the
superusers and everyone whose permissions reach member, payment, jury or volunteer data must.
Once a user has a confirmed device, every admin page asks for a code first, whether it was
required or chosen."""
