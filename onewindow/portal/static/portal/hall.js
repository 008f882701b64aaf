/* Online hall enhancements: per-slot uploads with progress and previews, autosave, submit once.
   Every form works without this file (plain multipart posts); this only adds comfort. No inline script. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }
  function csrf(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function jsonOf(xhr) {
    try { return JSON.parse(xhr.responseText); } catch (e) { return {}; }
  }

  // --- applicant kind: show the person or the company fields --------------------------------
  function syncKind(form) {
    var checked = form.querySelector("input[name=kind]:checked");
    if (!checked) return;
    form.querySelectorAll("[data-kind-panel]").forEach(function (panel) {
      panel.hidden = panel.getAttribute("data-kind-panel") !== checked.value;
    });
  }

  function syncBehalf(form) {
    var checked = form.querySelector("input[name=on_behalf]:checked");
    if (!checked) return;
    form.querySelectorAll("[data-behalf-panel]").forEach(function (panel) {
      panel.hidden = panel.getAttribute("data-behalf-panel") !== checked.value;
    });
  }

  // --- autosave ------------------------------------------------------------------------------
  function setStatus(form, text, isError) {
    var status = document.querySelector("[data-save-status]");
    if (!status) return;
    status.textContent = text;
    status.classList.toggle("is-error", !!isError);
  }
  function autosave(form) {
    var url = form.getAttribute("data-autosave-url");
    if (!url) return;
    var data = new FormData(form);
    Array.prototype.slice.call(form.querySelectorAll("input[type=file]")).forEach(function (i) { data.delete(i.name); });
    var xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    xhr.setRequestHeader("X-CSRFToken", csrf(form));
    xhr.onload = function () {
      var body = jsonOf(xhr);
      if (xhr.status === 200) setStatus(form, body.message || "", false);
      else setStatus(form, body.message || form.getAttribute("data-save-failed") || "", true);
    };
    xhr.onerror = function () { setStatus(form, "网络连接中断，内容暂未保存；恢复连接后会自动保存。", true); };
    xhr.send(data);
  }

  // --- one slot's upload ----------------------------------------------------------------------
  function showFile(slot, file, body, localPreview) {
    var box = slot.querySelector("[data-file]");
    box.textContent = "";
    var thumb = el("a", "hl-thumb");
    thumb.href = body.url; thumb.target = "_blank"; thumb.rel = "noopener";
    if (body.is_image && localPreview) {
      var img = el("img"); img.src = localPreview; img.alt = ""; img.width = 56; img.height = 56;
      thumb.appendChild(img);
    } else {
      var icon = el("span", "hl-doc-icon", body.content_type === "application/ofd" ? "OFD" : (body.is_image ? "IMG" : "PDF"));
      icon.setAttribute("aria-hidden", "true");
      thumb.appendChild(icon);
    }
    var info = el("div", "hl-file-info");
    info.appendChild(el("span", "hl-file-name", body.name));
    var meta = el("span", "small muted", body.size + " · ");
    meta.appendChild(el("span", "hl-ok", "已上传"));
    info.appendChild(meta);
    box.appendChild(thumb);
    box.appendChild(info);
    var input = slot.querySelector("input[type=file]");
    var remove = el("button", "btn btn-sm btn-danger hl-remove", "删除");
    remove.type = "submit"; remove.name = "remove"; remove.value = input.name.replace("material-", "");
    box.appendChild(remove);
    slot.classList.add("is-filled");
    slot.classList.remove("has-error");
  }

  function upload(slot, input) {
    var file = input.files && input.files[0];
    if (!file) return;
    var form = input.form;
    var bar = slot.querySelector("[data-progress]");
    var fill = bar.querySelector("span");
    var error = slot.querySelector("[data-error]");
    error.hidden = true; error.textContent = "";
    input.removeAttribute("aria-invalid");
    bar.hidden = false; fill.style.width = "0%";
    bar.setAttribute("role", "progressbar");
    bar.setAttribute("aria-valuemin", "0"); bar.setAttribute("aria-valuemax", "100");
    var data = new FormData();
    data.append("file", file);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", slot.getAttribute("data-upload-url"));
    xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    xhr.setRequestHeader("X-CSRFToken", csrf(form));
    xhr.upload.onprogress = function (e) {
      if (!e.lengthComputable) return;
      var pct = Math.round(e.loaded / e.total * 100);
      fill.style.width = pct + "%";
      bar.setAttribute("aria-valuenow", String(pct));
    };
    xhr.onload = function () {
      var body = jsonOf(xhr);
      bar.hidden = true;
      input.value = "";  // uploaded already: the form's own submit must not send it again
      if (xhr.status === 200) {
        if (body.is_image && window.FileReader) {
          var reader = new FileReader();
          reader.onload = function () { showFile(slot, file, body, reader.result); };
          reader.readAsDataURL(file);
        } else {
          showFile(slot, file, body, null);
        }
        setStatus(form, body.message || "", false);
      } else {
        error.textContent = body.message || "上传失败，请重试。";
        error.hidden = false;
        slot.classList.add("has-error");
        input.setAttribute("aria-invalid", "true");
        if (xhr.status === 401) setStatus(form, body.message || "", true);
      }
    };
    xhr.onerror = function () {
      bar.hidden = true;
      error.textContent = "网络连接中断，文件未上传，请重新选择。";
      error.hidden = false;
    };
    xhr.send(data);
  }

  ready(function () {
    document.querySelectorAll("form[data-draft-form]").forEach(function (form) {
      syncKind(form);
      syncBehalf(form);
      var timer = null;
      form.addEventListener("change", function (e) {
        var t = e.target;
        if (t.name === "kind") syncKind(form);
        if (t.name === "on_behalf") syncBehalf(form);
        if (t.type === "file") {
          var slot = t.closest("[data-slot]");
          if (slot && window.FormData) upload(slot, t);
          return;
        }
        clearTimeout(timer);
        timer = setTimeout(function () { autosave(form); }, 400);
      });
    });

    // Submit once: a second click (or Enter) while the first is on its way does nothing.
    document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
      form.addEventListener("submit", function (e) {
        if (form.getAttribute("data-submitting")) { e.preventDefault(); return; }
        form.setAttribute("data-submitting", "1");
        var button = form.querySelector("[data-busy-text]");
        if (button) {
          window.setTimeout(function () {
            button.setAttribute("aria-disabled", "true");
            button.textContent = button.getAttribute("data-busy-text");
          }, 0);
        }
      });
    });

    // Delivery: the address fields only for free mail.
    document.querySelectorAll("form[data-delivery-form]").forEach(function (form) {
      var fields = form.querySelector("[data-mail-fields]");
      function sync() {
        var checked = form.querySelector("input[name=method]:checked");
        if (fields) fields.hidden = !checked || checked.value !== "mail";
      }
      form.addEventListener("change", sync);
      sync();
    });

    var focus = document.querySelector("[data-focus-on-load]");
    if (focus) focus.focus();

    // After a failed "next step", take the keyboard and the eye to the first problem.
    var firstError = document.querySelector("form[data-draft-form] [aria-invalid=true]");
    if (firstError && document.querySelector(".messages .error")) firstError.focus();
  });

  // Back button to a page whose form was already sent: reload, so the server says where things stand.
  window.addEventListener("pageshow", function (e) {
    if (e.persisted && document.querySelector("form[data-submit-once][data-submitting]")) window.location.reload();
  });
})();
