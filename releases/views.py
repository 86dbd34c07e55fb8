from django.views.generic import DetailView, ListView

from releases.models import Department, Event, Release


class ReleaseListView(ListView):
    paginate_by = 20

    def get_queryset(self):
        return Release.objects.published().select_related("department")


class ReleaseDetailView(DetailView):
    def get_queryset(self):
        return Release.objects.published().select_related("department", "event")


class EventDetailView(DetailView):
    model = Event


class DepartmentDetailView(DetailView):
    model = Department
