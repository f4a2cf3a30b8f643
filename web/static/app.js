// gongshi: search suggestions as you type. Pages work without this script.
(function () {
  var q = document.getElementById("q"), list = document.getElementById("q-suggest");
  if (!q || !list || !window.fetch) return;
  var timer, last = "";
  q.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var v = q.value.trim();
      if (v.length < 2 || v === last) return;
      last = v;
      fetch("/suggest?q=" + encodeURIComponent(v), {credentials: "same-origin"})
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (hits) {
          while (list.firstChild) list.removeChild(list.firstChild);
          hits.forEach(function (h) {
            var o = document.createElement("option");
            o.value = h.name;
            o.label = h.code;
            list.appendChild(o);
          });
        })
        .catch(function () {});
    }, 200);
  });
  var err = document.getElementById("error-summary");
  if (err) err.focus();
})();
