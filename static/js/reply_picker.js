// Canned replies (话术) for every text area on the page (and inputs marked data-reply-picker): a small search under the box lists the
// knowledge base's replies; choosing one inserts its text at the cursor. On a complaint's pages
// the choice is also recorded on the complaint ("knowledge used").
(function () {
  "use strict";
  const picker = document.getElementById("reply-picker");
  if (!picker) return;
  const csrf = picker.querySelector("input[name=csrfmiddlewaretoken]");

  function insert(box, text) {
    const start = box.selectionStart ?? box.value.length;
    const end = box.selectionEnd ?? box.value.length;
    box.value = box.value.slice(0, start) + text + box.value.slice(end);
    box.dispatchEvent(new Event("input", { bubbles: true }));
    box.focus();
  }

  function record(id) {
    if (!picker.dataset.complaint) return;
    const body = new URLSearchParams({ article: id, complaint: picker.dataset.complaint });
    fetch(picker.dataset.citeUrl.replace("/0/", "/" + id + "/"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf.value, Accept: "application/json" },
      body: body,
    }).catch(() => {});
  }

  function attach(box, index) {
    const wrap = document.createElement("details");
    wrap.className = "reply-picker small mt-1";
    const summary = document.createElement("summary");
    summary.textContent = picker.dataset.label;
    const search = document.createElement("input");
    search.type = "search";
    search.className = "form-control form-control-sm my-1";
    search.placeholder = picker.dataset.placeholder;
    search.setAttribute("form", "reply-picker-none");
    search.id = "reply-search-" + index;
    const list = document.createElement("ul");
    list.className = "list-unstyled mb-0";
    wrap.append(summary, search, list);
    box.insertAdjacentElement("afterend", wrap);

    let timer = null;
    function load() {
      fetch(picker.dataset.url + "?q=" + encodeURIComponent(search.value), { credentials: "same-origin" })
        .then((response) => response.json())
        .then((data) => {
          list.replaceChildren();
          if (!data.replies.length) {
            const li = document.createElement("li");
            li.className = "text-muted";
            li.textContent = picker.dataset.empty;
            list.append(li);
          }
          data.replies.forEach((reply) => {
            const li = document.createElement("li");
            const button = document.createElement("button");
            button.type = "button";
            button.className = "btn btn-link btn-sm p-0 text-start reply-choice";
            button.textContent = reply.title;
            button.title = reply.text;
            button.addEventListener("click", () => {
              insert(box, reply.text);
              record(reply.id);
              wrap.open = false;
            });
            li.append(button);
            list.append(li);
          });
        })
        .catch(() => {});
    }
    wrap.addEventListener("toggle", () => { if (wrap.open) load(); });
    search.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(load, 200); });
    search.addEventListener("keydown", (event) => { if (event.key === "Enter") event.preventDefault(); });
  }

  document.querySelectorAll("form textarea:not([data-no-picker]), form input[data-reply-picker]").forEach(attach);
})();
