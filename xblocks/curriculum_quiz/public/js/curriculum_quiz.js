/* Curriculum quiz: the learner view.
 *
 * The page holds no answers: the server grades each submission and its reply says what may be
 * shown (feedback on the learner's own choices, and, under the quiz's show-answer policy, the
 * correct answers and explanations). Author text in replies is HTML the server has sanitised.
 * No library is needed; jQuery's ajax is used when the page has it, because the LMS configures
 * its CSRF header there.
 */
function CurriculumQuizBlock(runtime, element, init) {
    "use strict";

    var root = element && element.jquery ? element[0] : element;
    var form = root.querySelector(".cq-form");
    if (!form) {
        return;
    }
    var strings = (init && init.strings) || {};
    var status = root.querySelector(".cq-status");
    var attemptsLine = root.querySelector(".cq-attempts");
    var submitButton = root.querySelector(".cq-submit");
    var fieldsets = Array.prototype.slice.call(root.querySelectorAll(".cq-question"));
    var submitUrl = runtime.handlerUrl(element, "submit");
    var hintUrl = runtime.handlerUrl(element, "hint");

    function format(template, values) {
        return String(template || "").replace(/\{(\w+)\}/g, function (match, name) {
            return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : match;
        });
    }

    function number(value) {
        var text = Number(value).toFixed(2);
        return text.replace(/0+$/, "").replace(/\.$/, "");
    }

    function make(tag, className, text) {
        var node = document.createElement(tag);
        if (className) {
            node.className = className;
        }
        if (text !== undefined) {
            node.textContent = text;
        }
        return node;
    }

    function sanitisedHtml(tag, className, html) {
        // Only for HTML the server has rendered and sanitised (author Markdown through nh3).
        var node = make(tag, className);
        node.innerHTML = html;
        return node;
    }

    function cookie(name) {
        var match = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
        return match ? decodeURIComponent(match[1]) : "";
    }

    function post(url, data, done, fail) {
        var body = JSON.stringify(data);
        if (window.jQuery && window.jQuery.ajax) {
            window.jQuery.ajax({
                type: "POST", url: url, data: body, contentType: "application/json; charset=utf-8", dataType: "json"
            }).done(done).fail(function (xhr) {
                var error = xhr.responseJSON && xhr.responseJSON.error;
                fail(error || xhr.statusText || String(xhr.status));
            });
            return;
        }
        window.fetch(url, {
            method: "POST", credentials: "same-origin", body: body,
            headers: {"Content-Type": "application/json", "X-CSRFToken": cookie("csrftoken")}
        }).then(function (response) {
            return response.json().then(function (json) {
                if (response.ok) {
                    done(json);
                } else {
                    fail((json && json.error) || String(response.status));
                }
            }, function () {
                fail(String(response.status));
            });
        }, function (error) {
            fail(String(error));
        });
    }

    // ------------------------------------------------------------------------------------------
    // Responses

    function collect() {
        var answers = {};
        var problem = null;
        fieldsets.forEach(function (fieldset) {
            var id = fieldset.getAttribute("data-question-id");
            var type = fieldset.getAttribute("data-type");
            var checked = fieldset.querySelectorAll("input:checked");
            var input = fieldset.querySelector("input[type=text]");
            var value;
            if (type === "single" && checked.length) {
                answers[id] = checked[0].value;
            } else if (type === "multiple" && checked.length) {
                answers[id] = Array.prototype.map.call(checked, function (box) { return box.value; });
            } else if (type === "true-false" && checked.length) {
                answers[id] = checked[0].value === "true";
            } else if (type === "numeric" && input.value.trim()) {
                value = Number(input.value.trim().replace(",", "."));
                if (isFinite(value)) {
                    answers[id] = value;
                } else if (!problem) {
                    problem = {message: format(strings.notANumber, {number: fieldset.getAttribute("data-number")}),
                               focus: input};
                }
            } else if (type === "text" && input.value.trim()) {
                answers[id] = input.value.trim();
            } else if (type === "ordering") {
                answers[id] = Array.prototype.map.call(fieldset.querySelectorAll(".cq-order-item"), function (item) {
                    return item.getAttribute("data-key");
                });
            } else if (type === "matching") {
                value = {};
                Array.prototype.forEach.call(fieldset.querySelectorAll("select"), function (select) {
                    if (select.value) {
                        value[select.getAttribute("data-left-key")] = select.value;
                    }
                });
                if (Object.keys(value).length) {
                    answers[id] = value;
                }
            }
        });
        return {answers: answers, problem: problem};
    }

    // ------------------------------------------------------------------------------------------
    // Results

    function verdict(outcome) {
        if (!outcome.answered) {
            return [strings.notAnswered, "cq-unanswered"];
        }
        if (outcome.correct) {
            return [strings.correct, "cq-correct"];
        }
        return outcome.score > 0 ? [strings.partial, "cq-partial"] : [strings.incorrect, "cq-incorrect"];
    }

    function labelHtml(fieldset, key) {
        var choice = fieldset.querySelector(".cq-choice[data-key='" + key + "'] label");
        return choice ? choice.innerHTML : "";
    }

    function answerBlock(fieldset, type, answer) {
        var box = make("div", "cq-answer");
        var list;
        if (type === "single" || type === "multiple") {
            var keys = type === "single" ? [answer] : answer;
            box.appendChild(make("p", "cq-answer-title", strings.correctAnswer));
            list = make("ul");
            keys.forEach(function (key) {
                var choice = fieldset.querySelector(".cq-choice[data-key='" + key + "']");
                if (choice) {
                    choice.classList.add("cq-is-answer");
                    choice.appendChild(make("span", "cq-answer-mark", " " + strings.isCorrectChoice));
                }
                list.appendChild(sanitisedHtml("li", "", labelHtml(fieldset, key)));
            });
            box.appendChild(list);
        } else if (type === "true-false") {
            box.appendChild(make("p", "cq-answer-title", strings.correctAnswer + ": " +
                (answer ? strings["true"] : strings["false"])));
        } else if (type === "numeric") {
            box.appendChild(make("p", "cq-answer-title", strings.correctAnswer + ": " + (answer.tolerance ?
                format(strings.tolerance, {value: answer.value, tolerance: answer.tolerance}) : answer.value)));
        } else if (type === "text") {
            box.appendChild(make("p", "cq-answer-title", strings.acceptedAnswers + ": " + answer.join(" · ")));
        } else if (type === "ordering") {
            box.appendChild(make("p", "cq-answer-title", strings.correctOrder));
            list = make("ol");
            answer.forEach(function (key) {
                var item = fieldset.querySelector(".cq-order-item[data-key='" + key + "'] .cq-order-text");
                list.appendChild(sanitisedHtml("li", "", item ? item.innerHTML : ""));
            });
            box.appendChild(list);
        } else if (type === "matching") {
            box.appendChild(make("p", "cq-answer-title", strings.correctMatches));
            list = make("ul");
            Object.keys(answer).forEach(function (leftKey) {
                var row = fieldset.querySelector(".cq-match[data-left-key='" + leftKey + "']");
                if (!row) {
                    return;
                }
                var option = row.querySelector("option[value='" + answer[leftKey] + "']");
                var item = sanitisedHtml("li", "", row.querySelector("label").innerHTML);
                item.appendChild(document.createTextNode(" → " + (option ? option.textContent : "")));
                list.appendChild(item);
            });
            box.appendChild(list);
        }
        return box;
    }

    function showOutcome(fieldset, outcome) {
        var type = fieldset.getAttribute("data-type");
        var area = fieldset.querySelector(".cq-feedback");
        var judged = verdict(outcome);
        fieldset.classList.remove("cq-correct", "cq-partial", "cq-incorrect", "cq-unanswered");
        fieldset.classList.add(judged[1]);
        Array.prototype.forEach.call(fieldset.querySelectorAll(".cq-answer-mark"), function (mark) {
            mark.parentNode.removeChild(mark);
        });
        Array.prototype.forEach.call(fieldset.querySelectorAll(".cq-is-answer"), function (choice) {
            choice.classList.remove("cq-is-answer");
        });
        area.textContent = "";
        var head = make("p", "cq-verdict");
        head.appendChild(make("strong", "", judged[0]));
        if (outcome.answered && !outcome.correct && outcome.score > 0) {
            head.appendChild(document.createTextNode(" " + format(strings.questionScore,
                                                                  {score: number(outcome.score)})));
        }
        area.appendChild(head);
        (outcome.feedback || []).forEach(function (html) {
            area.appendChild(sanitisedHtml("div", "cq-feedback-item", html));
        });
        if (Object.prototype.hasOwnProperty.call(outcome, "answer")) {
            area.appendChild(answerBlock(fieldset, type, outcome.answer));
        }
        if (outcome.explanation) {
            var explanation = make("div", "cq-explanation");
            explanation.appendChild(make("p", "cq-explanation-title", strings.explanation));
            explanation.appendChild(sanitisedHtml("div", "", outcome.explanation));
            area.appendChild(explanation);
        }
    }

    function lock() {
        fieldsets.forEach(function (fieldset) { fieldset.disabled = true; });
        if (submitButton) {
            submitButton.disabled = true;
        }
    }

    function showResult(result, announce) {
        fieldsets.forEach(function (fieldset) {
            var outcome = result.questions[fieldset.getAttribute("data-question-id")];
            if (outcome) {
                showOutcome(fieldset, outcome);
            }
        });
        if (attemptsLine) {
            attemptsLine.textContent = result.attempts_text;
        }
        if (announce) {
            status.textContent = result.message + " " + result.attempts_text;
        }
        if (result.attempts_remaining === 0) {
            lock();
        }
    }

    // ------------------------------------------------------------------------------------------
    // Events

    form.addEventListener("submit", function (event) {
        event.preventDefault();
        if (!submitButton) {
            return;  // read-only: staff viewing a learner's quiz
        }
        var collected = collect();
        if (collected.problem) {
            status.textContent = collected.problem.message;
            collected.problem.focus.focus();
            return;
        }
        if (!Object.keys(collected.answers).length) {
            status.textContent = strings.noAnswers;
            return;
        }
        submitButton.disabled = true;
        status.textContent = strings.submitting;
        post(submitUrl, {answers: collected.answers}, function (result) {
            submitButton.disabled = false;
            showResult(result, true);
        }, function (error) {
            submitButton.disabled = false;
            status.textContent = format(strings.submitError, {error: error});
        });
    });

    form.addEventListener("click", function (event) {
        var target = event.target;
        var button = target.closest ? target.closest("button") : null;
        if (!button || !form.contains(button)) {
            return;
        }
        if (button.classList.contains("cq-move")) {
            moveItem(button);
        } else if (button.classList.contains("cq-hint-button")) {
            toggleHint(button);
        }
    });

    function moveItem(button) {
        var item = button.closest(".cq-order-item");
        var list = item.parentNode;
        if (button.getAttribute("data-direction") === "up" && item.previousElementSibling) {
            list.insertBefore(item, item.previousElementSibling);
        } else if (button.getAttribute("data-direction") === "down" && item.nextElementSibling) {
            list.insertBefore(item.nextElementSibling, item);
        }
        button.focus();
        var items = Array.prototype.slice.call(list.children);
        var fieldset = item.closest(".cq-question");
        var announcer = fieldset.querySelector(".cq-order-status");
        if (announcer) {
            announcer.textContent = format(strings.movedTo, {
                item: item.querySelector(".cq-order-text").textContent,
                position: items.indexOf(item) + 1,
                total: items.length
            });
        }
    }

    function toggleHint(button) {
        var hint = root.querySelector("#" + button.getAttribute("aria-controls"));
        if (hint.getAttribute("data-loaded")) {
            var show = hint.hidden;
            hint.hidden = !show;
            button.setAttribute("aria-expanded", show ? "true" : "false");
            button.textContent = show ? strings.hideHint : strings.showHint;
            return;
        }
        var fieldset = button.closest(".cq-question");
        post(hintUrl, {question_id: fieldset.getAttribute("data-question-id")}, function (reply) {
            hint.innerHTML = reply.hint;  // sanitised on the server
            hint.setAttribute("data-loaded", "true");
            hint.hidden = false;
            button.setAttribute("aria-expanded", "true");
            button.textContent = strings.hideHint;
        }, function () {
            hint.textContent = strings.hintError;
            hint.hidden = false;
        });
    }

    if (init && init.result) {
        showResult(init.result, false);
    }
}
