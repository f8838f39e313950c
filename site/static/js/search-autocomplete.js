// The header search box: titles suggested as you type (a native <datalist>, so keyboards and
// screen readers handle it), from /recherche/autocomplete/. Choosing a suggested title and
// submitting opens that page directly; anything else goes to the results page as before.
(function () {
    "use strict";
    var input = document.getElementById("site-search-q");
    if (!input || !window.fetch) {
        return;
    }
    var list = document.createElement("datalist");
    list.id = "site-search-suggestions";
    input.after(list);
    input.setAttribute("list", list.id);
    var urls = {};
    var timer = null;

    function show(results) {
        urls = {};
        list.replaceChildren();
        results.forEach(function (item) {
            var option = document.createElement("option");
            option.value = item.title;
            urls[item.title] = item.url;
            list.appendChild(option);
        });
    }

    input.addEventListener("input", function () {
        window.clearTimeout(timer);
        var text = input.value.trim();
        if (text.length < 2 || urls[text]) {
            return;
        }
        timer = window.setTimeout(function () {
            var address = input.dataset.autocompleteUrl + "?q=" + encodeURIComponent(text);
            fetch(address, { headers: { Accept: "application/json" } })
                .then(function (response) {
                    return response.ok ? response.json() : { results: [] };
                })
                .then(function (data) {
                    show(data.results || []);
                })
                .catch(function () {
                    // No suggestions: the box still searches.
                });
        }, 250);
    });

    input.form.addEventListener("submit", function (event) {
        var url = urls[input.value.trim()];
        if (url) {
            event.preventDefault();
            window.location.assign(url);
        }
    });
})();
