// Poll a background export until it is ready, then show the download button.
(function () {
  const box = document.getElementById("export");
  if (!box) return;
  const bar = document.getElementById("export-bar");
  const state = document.getElementById("export-state");
  const download = document.getElementById("export-download");
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin" })
      .then((response) => response.json())
      .then((data) => {
        bar.style.width = data.progress + "%";
        bar.textContent = data.progress + "%";
        state.textContent = data.label + (data.error ? "：" + data.error : "");
        if (data.download) {
          download.href = data.download;
          download.classList.remove("d-none");
        } else if (data.state !== "failed") {
          setTimeout(poll, 1000);
        }
      })
      .catch(() => setTimeout(poll, 3000));
  }
  poll();
})();
