from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from servicedesk.limits import AMOUNT_MAX

from .models import BODY_MAX, TEXT_MAX, Article, ArticleKind, Category

MAX_PRICE = AMOUNT_MAX


class DateInput(forms.DateInput):
    input_type = "date"


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    kind = forms.ChoiceField(label=_("kind"), choices=[("", _("All kinds")), *ArticleKind.choices], required=False)
    category = forms.ModelChoiceField(
        label=_("knowledge category"), queryset=Category.objects.none(), required=False, empty_label=_("All categories")
    )
    drafts = forms.BooleanField(label=_("Show drafts and archived"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(is_active=True)


class ArticleForm(forms.ModelForm):
    chain_wide = forms.BooleanField(
        label=_("For the whole chain"),
        required=False,
        help_text=_("Head office and administrators write the chain's articles; others write their mall's."),
    )

    class Meta:
        model = Article
        fields = ["kind", "category", "title", "body", "sources"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 8, "maxlength": BODY_MAX}),
            "sources": forms.Textarea(attrs={"rows": 3, "maxlength": TEXT_MAX}),
        }

    def __init__(self, *args, can_write_chain=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(is_active=True)
        if not can_write_chain or self.instance.pk:
            del self.fields["chain_wide"]


class CiteForm(forms.Form):
    article = forms.IntegerField(widget=forms.HiddenInput)
    complaint = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class AdvisorForm(forms.Form):
    purchase_date = forms.DateField(label=_("purchase date"), required=False, widget=DateInput)
    delivery_date = forms.DateField(label=_("delivery (acceptance) date"), required=False, widget=DateInput)
    found_on = forms.DateField(
        label=_("defect found on"), required=False, widget=DateInput, help_text=_("Empty: today.")
    )
    failed_repairs = forms.IntegerField(
        label=_("failed repairs of the same defect"), min_value=0, max_value=20, initial=0, required=False
    )
    days_in_repair = forms.IntegerField(
        label=_("days in repair so far"), min_value=0, max_value=3650, initial=0, required=False
    )
    custom_non_standard = forms.BooleanField(label=_("custom piece, non-standard part"), required=False)
    price = forms.DecimalField(
        label=_("price (yuan)"),
        required=False,
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_PRICE)],
    )
    fraud = forms.BooleanField(label=_("fraud alleged (false claims)"), required=False)
