// Autosave of a draft (an award application's step, a social-utility report): the form is
// posted in the background every 20 s when something changed, and when a field loses focus, to
// its data-autosave address, which answers {"saved": true, "at": "HH:MM"}. Without JavaScript,
// the buttons save.
(function () {
    "use strict";
    var form = document.querySelector("form[data-autosave]");
    if (!form || !window.fetch || !window.FormData) {
        return;
    }
    var status = form.querySelector("[data-autosave-status]");
    var dirty = false;
    var busy = false;
    var pending = false;

    function say(text) {
        if (status) {
            status.textContent = text;
        }
    }

    var leaving = false;

    function save() {
        if (leaving) {
            return; // the form is being sent: the buttons save, a parallel save would race them
        }
        if (busy) {
            pending = true; // saved again once the save under way is done
            return;
        }
        if (!dirty) {
            return;
        }
        busy = true;
        dirty = false;
        fetch(form.getAttribute("data-autosave"), {
            method: "POST",
            body: new FormData(form),
            credentials: "same-origin",
            headers: { "X-Requested-With": "fetch" },
        })
            .then(function (response) {
                return response.ok ? response.json() : null;
            })
            .then(function (data) {
                if (data && data.saved) {
                    say((status && status.getAttribute("data-saved-label") || "") + " " + data.at);
                }
            })
            .catch(function () {
                dirty = true;
            })
            .then(function () {
                busy = false;
                if (pending) {
                    pending = false;
                    save();
                }
            });
    }

    form.addEventListener("input", function () {
        dirty = true;
    });
    form.addEventListener("change", function () {
        dirty = true;
    });
    form.addEventListener("focusout", function (event) {
        var next = event.relatedTarget;
        if (next && next.form === form && next.type === "submit") {
            return; // focus goes to a button of this form, which saves the step itself
        }
        save();
    });
    form.addEventListener("submit", function () {
        leaving = true;
    });
    window.setInterval(save, 20000);
})();
