// The header search box as a WAI-ARIA combobox with a listbox popup (the APG's « list
// autocomplete » pattern): titles from /recherche/autocomplete/ are suggested as you type.
// The focus stays in the box; ArrowDown / ArrowUp move through the suggestions
// (aria-activedescendant names the current one), Enter or a click opens it, Escape closes the
// list. Enter with no suggestion chosen submits the search; without JavaScript the box simply
// searches.
(function () {
    "use strict";
    var input = document.getElementById("site-search-q");
    var list = document.getElementById("site-search-suggestions");
    if (!input || !list || !window.fetch) {
        return;
    }
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");
    var active = -1; // index of the current suggestion, -1 for none
    var timer = null;

    // Marks suggestion `index` as current (-1: none), for the eye and for screen readers.
    function highlight(index) {
        var options = list.children;
        if (options[active]) {
            options[active].setAttribute("aria-selected", "false");
        }
        active = index;
        if (options[index]) {
            options[index].setAttribute("aria-selected", "true");
            options[index].scrollIntoView({ block: "nearest" });
            input.setAttribute("aria-activedescendant", options[index].id);
        } else {
            input.removeAttribute("aria-activedescendant");
        }
    }

    function toggle(open) {
        open = open && list.children.length > 0;
        if (!open) {
            highlight(-1);
        }
        list.hidden = !open;
        input.setAttribute("aria-expanded", String(open));
    }

    function show(results) {
        highlight(-1);
        list.replaceChildren();
        results.forEach(function (item, n) {
            var option = document.createElement("li");
            option.id = list.id + "-" + n;
            option.setAttribute("role", "option");
            option.setAttribute("aria-selected", "false");
            option.textContent = item.title;
            option.dataset.url = item.url;
            list.appendChild(option);
        });
        toggle(true);
    }

    input.addEventListener("input", function () {
        window.clearTimeout(timer);
        highlight(-1);
        var text = input.value.trim();
        if (text.length < 2) {
            toggle(false);
            return;
        }
        timer = window.setTimeout(function () {
            var address = input.dataset.autocompleteUrl + "?q=" + encodeURIComponent(text);
            fetch(address, { headers: { Accept: "application/json" } })
                .then(function (response) {
                    return response.ok ? response.json() : { results: [] };
                })
                .then(function (data) {
                    // An answer to an older text is dropped.
                    if (input.value.trim() === text) {
                        show(data.results || []);
                    }
                })
                .catch(function () {
                    // No suggestions: the box still searches.
                });
        }, 250);
    });

    input.addEventListener("keydown", function (event) {
        var count = list.children.length;
        if (event.key === "ArrowDown" || event.key === "ArrowUp") {
            if (!count) {
                return;
            }
            event.preventDefault();
            var down = event.key === "ArrowDown";
            if (list.hidden) {
                // Opens the list on its first (or, going up, last) suggestion.
                toggle(true);
                highlight(down ? 0 : count - 1);
            } else {
                // Moves on, wrapping round at either end.
                highlight((down ? active + 1 : (active <= 0 ? count : active) - 1) % count);
            }
        } else if (event.key === "Enter" && active >= 0) {
            event.preventDefault();
            window.location.assign(list.children[active].dataset.url);
        } else if (event.key === "Escape" && !list.hidden) {
            event.preventDefault(); // the list closes; a second Escape clears the box
            toggle(false);
        } else if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
            highlight(-1); // back to editing the text
        }
    });

    // A click opens the suggestion; pressing it does not take the focus from the box.
    list.addEventListener("mousedown", function (event) {
        event.preventDefault();
    });
    list.addEventListener("click", function (event) {
        var option = event.target.closest("[role=option]");
        if (option) {
            window.location.assign(option.dataset.url);
        }
    });
    input.addEventListener("blur", function () {
        toggle(false);
    });
})();
