from django.contrib import admin

from cleanprod.industries.models import Industry, IndustryGroup, IndustryGroupMember


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level")
    list_filter = ("level",)
    search_fields = ("code", "name")


class MemberInline(admin.TabularInline):
    model = IndustryGroupMember
    extra = 0


@admin.register(IndustryGroup)
class IndustryGroupAdmin(admin.ModelAdmin):
    list_display = ("short_name", "name", "source")
    inlines = [MemberInline]
