// Forum editor: a live preview of the text being typed, and a draft kept in this browser
// (localStorage) until the post is sent. Everything here is optional: without JavaScript the
// Preview button posts the form and the page comes back with the preview above it.
(function () {
  "use strict";

  var DELAY = 600; // milliseconds without typing before the preview is asked for

  function storage() {
    try {
      var probe = "forum-draft-probe";
      window.localStorage.setItem(probe, probe);
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (error) {
      return null; // private mode or storage disabled: no drafts, nothing else changes
    }
  }

  function setUp(form) {
    var body = form.querySelector("textarea[name=body]");
    if (!body) {
      return;
    }
    var title = form.querySelector("input[name=title]");
    var section = document.getElementById("preview");
    var output = document.getElementById("preview-output");
    var status = document.getElementById("draft-status");
    var discard = document.getElementById("draft-discard");
    var token = form.querySelector("input[name=csrf_token]");
    var store = storage();
    var key = "forum-draft:" + form.getAttribute("action") + "|" + window.location.pathname;
    var timer = null;
    var asked = 0;

    function say(text) {
      if (status) {
        status.textContent = text;
        status.hidden = !text;
      }
    }

    function showPreview() {
      var url = form.getAttribute("data-preview-url");
      if (!url || !section || !output) {
        return;
      }
      if (!body.value.trim()) {
        section.hidden = true;
        output.textContent = "";
        return;
      }
      var data = new FormData();
      data.append("body", body.value);
      if (token) {
        data.append("csrf_token", token.value);
      }
      var number = ++asked;
      fetch(url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: token ? { "X-CSRFToken": token.value } : {}
      }).then(function (response) {
        return response.text();
      }).then(function (html) {
        if (number === asked) { // an older answer must not replace a newer one
          output.innerHTML = html; // sanitised on the server, like every post
          section.hidden = false;
        }
      }).catch(function () {
        // offline or refused: keep the last preview; the Preview button still works
      });
    }

    function saveDraft() {
      if (!store) {
        return;
      }
      var draft = { body: body.value, title: title ? title.value : "" };
      if (draft.body === body.defaultValue && draft.title === (title ? title.defaultValue : "")) {
        store.removeItem(key);
      } else {
        store.setItem(key, JSON.stringify(draft));
      }
    }

    function onInput() {
      saveDraft();
      window.clearTimeout(timer);
      timer = window.setTimeout(showPreview, DELAY);
    }

    if (store) {
      var saved = null;
      try {
        saved = JSON.parse(store.getItem(key) || "null");
      } catch (error) {
        saved = null;
      }
      if (saved && saved.body && saved.body !== body.value) {
        body.value = saved.body;
        if (title && saved.title) {
          title.value = saved.title;
        }
        say((status && status.getAttribute("data-restored")) || "The draft you had not sent is back.");
        if (discard) {
          discard.hidden = false;
          discard.addEventListener("click", function () {
            body.value = body.defaultValue;
            if (title) {
              title.value = title.defaultValue;
            }
            store.removeItem(key);
            discard.hidden = true;
            say((status && status.getAttribute("data-discarded")) || "Draft discarded.");
            showPreview();
          });
        }
        showPreview();
      }
    }

    body.addEventListener("input", onInput);
    if (title) {
      title.addEventListener("input", saveDraft);
    }
    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (store && !(button && button.name === "preview")) {
        // Sent: a refused post comes back in the form, a rate-limited one on the limit page.
        store.removeItem(key);
      }
    });
  }

  document.querySelectorAll("form[data-editor]").forEach(setUp);
}());
