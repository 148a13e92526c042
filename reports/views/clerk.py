"""The clerk's workspace: reports of the clerk's organ, the report form, submit."""

urlpatterns: list = []
