from wagtail import hooks

from kazakh_admin.compat import lazy_help_menu_labels, lazy_localize_reports_menu_label
from kazakh_admin.jsi18n import catalogue_script

hooks.register("construct_reports_menu", lazy_localize_reports_menu_label)
hooks.register("construct_help_menu", lazy_help_menu_labels)


@hooks.register("insert_global_admin_js")
def kazakh_admin_javascript_catalogue():
    """This app's JavaScript strings for the admin page's language (see jsi18n.py)."""
    return catalogue_script()
