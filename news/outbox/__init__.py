"""The outbox: outgoing notifications about published stories, sent by the task worker.

A change to a story (published, updated, corrected, unpublished, deleted, a translation
published) is written as :class:`news.models.OutboxDelivery` rows, one per receiver, in the
database transaction of the change itself (``events``: Wagtail's ``page_published`` and
``page_unpublished`` signals are sent inside the publish's transaction). So a change that
is committed has its notifications committed with it, and a notification is never sent for
a change that was rolled back. After the commit the task worker (``manage.py
newsdesk_worker``) sends each one (``delivery``), retrying with exponential backoff a
bounded number of times before marking it failed; a worker killed or stopped leaves its
rows pending, and the worker's schedule sweeps them up again (``delivery.sweep``).

Channels: Telegram channels per language (``telegram``) and signed publish webhooks
(``webhooks``, Standard Webhooks). The delivery log in the admin is ``views``.
Hand-written rather than a library: the outbox pattern is a table and a task here, on the
task queue the project already runs (django-tasks); a signing library does the webhooks'
cryptography (``standardwebhooks``).
"""
