// django-celery-beat's periodic-task form: show the chosen crontab in words under the field.
(function () {
  "use strict";
  var $ = window.django && window.django.jQuery;
  var data = document.getElementById("readable-crontabs");
  if (!$ || !data) return;
  var readable = JSON.parse(data.textContent);
  var original = document.getElementById("crontab-help").dataset.help;
  $(".field-crontab_translation").hide();
  $(".field-crontab").change(function () {
    $(".field-crontab .help").text(original + " — " + (readable[$("#id_crontab").val()] || ""));
  });
})();
