// The main menu's submenus as a disclosure navigation menu (WAI-ARIA APG « disclosure
// navigation menu with top-level links »): each section stays a link to its page, and the
// button beside it opens or closes the list of its pages (aria-expanded says which). Escape
// closes the open submenu and gives the focus back to its button; a click or the focus
// elsewhere closes it too. Without JavaScript the buttons stay hidden and the submenus closed.
(function () {
    "use strict";
    var buttons = Array.prototype.slice.call(document.querySelectorAll(".main-menu .submenu-toggle"));

    function submenu(button) {
        return document.getElementById(button.getAttribute("aria-controls"));
    }

    function setOpen(button, open) {
        button.setAttribute("aria-expanded", open ? "true" : "false");
        submenu(button).classList.toggle("open", open);
    }

    function closeAll(except) {
        buttons.forEach(function (button) {
            if (button !== except) {
                setOpen(button, false);
            }
        });
    }

    buttons.forEach(function (button) {
        button.hidden = false;
        button.addEventListener("click", function () {
            var open = button.getAttribute("aria-expanded") !== "true";
            closeAll(button);
            setOpen(button, open);
        });
        button.parentNode.addEventListener("keydown", function (event) {
            if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
                setOpen(button, false);
                button.focus();
            }
        });
        button.parentNode.addEventListener("focusout", function (event) {
            if (event.relatedTarget && !button.parentNode.contains(event.relatedTarget)) {
                setOpen(button, false);
            }
        });
    });

    document.addEventListener("click", function (event) {
        if (!event.target.closest || !event.target.closest(".main-menu .has-submenu")) {
            closeAll(null);
        }
    });
})();
