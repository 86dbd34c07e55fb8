from celery import shared_task

from distribution import services


@shared_task(name="distribution.write_mails")
def write_mails(distribution_id):
    return services.write_mails(distribution_id)


@shared_task(name="distribution.announce_public")
def announce_public(release_id):
    return services.announce_public(release_id=release_id)


@shared_task(name="distribution.write_pending_mails")
def write_pending_mails():
    """Beat's sweep: finish the sends, and the "now public" mails, whose
    task was lost."""
    sends = sum(services.write_mails(distribution.pk) for distribution in services.pending_distributions())
    return sends + sum(services.announce_public(release_id=pk) for pk in services.pending_public_notices())
