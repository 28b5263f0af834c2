// A plan being computed: ask the server every few seconds (the header X-Zonal-Plan-State of
// the same page) and show the page again once the plan is ready or has failed. Without
// script, the "Check again" link does the same by hand.
(function () {
  "use strict";
  var every = 3000;
  function check() {
    fetch(window.location.href, { headers: { Accept: "text/html" }, cache: "no-store" })
      .then(function (response) {
        var state = response.headers.get("X-Zonal-Plan-State");
        if (state && state !== "computing") {
          window.location.reload();
        } else {
          window.setTimeout(check, every);
        }
      })
      .catch(function () { window.setTimeout(check, every * 2); });
  }
  window.setTimeout(check, every);
})();
