/* Curriculum quiz: the Studio editor. The server validates the YAML with the shared quiz model
 * and saves only a valid quiz; its problems are listed in a live region. */
function CurriculumQuizStudio(runtime, element, init) {
    "use strict";

    var root = element && element.jquery ? element[0] : element;
    var form = root.querySelector(".cq-studio-form");
    var problems = root.querySelector(".cq-problems");
    var strings = (init && init.strings) || {};
    var saveUrl = runtime.handlerUrl(element, "studio_submit");

    function notify(name, data) {
        if (runtime.notify) {
            runtime.notify(name, data);
        }
    }

    function showProblems(title, items) {
        problems.textContent = "";
        var heading = document.createElement("p");
        heading.textContent = title;
        problems.appendChild(heading);
        if (items && items.length) {
            var list = document.createElement("ul");
            items.forEach(function (text) {
                var item = document.createElement("li");
                item.textContent = text;
                list.appendChild(item);
            });
            problems.appendChild(list);
        }
    }

    function post(data, done, fail) {
        var body = JSON.stringify(data);
        if (window.jQuery && window.jQuery.ajax) {
            window.jQuery.ajax({type: "POST", url: saveUrl, data: body, dataType: "json",
                                contentType: "application/json; charset=utf-8"})
                .done(done)
                .fail(function (xhr) { fail(xhr.responseJSON || {error: xhr.statusText || String(xhr.status)}); });
            return;
        }
        window.fetch(saveUrl, {method: "POST", credentials: "same-origin", body: body,
                               headers: {"Content-Type": "application/json"}})
            .then(function (response) {
                return response.json().then(function (json) {
                    if (response.ok) { done(json); } else { fail(json); }
                });
            })
            .catch(function (error) { fail({error: String(error)}); });
    }

    form.addEventListener("submit", function (event) {
        event.preventDefault();
        notify("save", {state: "start", message: strings.saving});
        post({yaml: form.elements.yaml.value, display_name: form.elements.display_name.value,
              weight: form.elements.weight.value, language: form.elements.language.value}, function () {
            problems.textContent = strings.saved;
            notify("save", {state: "end"});
        }, function (reply) {
            notify("error", {title: strings.problems, message: reply.error || ""});
            if (reply.problems) {
                showProblems(strings.problems, reply.problems);
            } else {
                showProblems(String(strings.saveError || "").replace("{error}", reply.error || ""), []);
            }
        });
    });

    root.querySelector(".cq-cancel").addEventListener("click", function () {
        notify("cancel", {});
    });
}
