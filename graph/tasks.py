"""The graph worker: builds one GraphSlice per message. The result lives in PostgreSQL."""

import logging

from celery import shared_task
from django.db import OperationalError

from .models import GraphSlice
from .services import build_slice

logger = logging.getLogger(__name__)


@shared_task(
    name="graph.build_slice",
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=30,
    time_limit=60,
)
def build_slice_task(*, slice_id: int) -> None:
    """Build the slice with this id; a ready slice or a missing row makes it a no-op."""
    graph_slice = GraphSlice.objects.filter(pk=slice_id).first()
    if graph_slice is None:
        logger.warning("GraphSlice %s is gone", slice_id)
        return
    build_slice(graph_slice)
