//! Goals and learning questions: the list with evaluations, and adding one.

use leptos::prelude::*;
use pm_domain::api::GoalItem;
use pm_domain::commands as cmd;
use pm_domain::model::GoalKind;

use crate::components::Tr;
use crate::use_ctx;

/// The goals given, each with its achieved mark.
#[component]
pub fn GoalList(id: String, #[prop(into)] goals: Signal<Vec<GoalItem>>) -> impl IntoView {
    let ctx = use_ctx();
    view! {
        {move || {
            let list = goals.get();
            if list.is_empty() {
                return view! { <p class="muted"><Tr k="goals.none" /></p> }.into_any();
            }
            view! {
                <ul class="goals">
                    {list.into_iter().map(|goal| {
                        let (group, goal_id, evaluation) = (id.clone(), goal.id.clone(), goal.evaluation.clone());
                        let kind = if goal.kind == GoalKind::Goal { "goals.kind.goal" } else { "goals.kind.question" };
                        view! {
                            <li class="goal" class:achieved=goal.achieved>
                                <label>
                                    <input type="checkbox" prop:checked=goal.achieved on:change=move |ev| {
                                        let achieved = event_target_checked(&ev);
                                        ctx.run(cmd::SetGoal {
                                            group: group.clone(), goal: goal_id.clone(), achieved, evaluation: evaluation.clone(),
                                        }, move |_: Vec<GoalItem>| ctx.refresh.update(|n| *n += 1));
                                    } />
                                    <span class="badge"><Tr k=kind /></span>
                                    " " <span class="goal-text">{goal.text.clone()}</span>
                                </label>
                                <span class="owner">{goal.owner.clone()}</span>
                                <Evaluation group=id.clone() goal=goal.clone() />
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}

/// How a goal went, written after the meeting; saved when the person leaves the field.
#[component]
fn Evaluation(group: String, goal: GoalItem) -> impl IntoView {
    let ctx = use_ctx();
    let input_id = format!("evaluation-{}", goal.id);
    let save = move |ev| {
        let args = cmd::SetGoal {
            group: group.clone(),
            goal: goal.id.clone(),
            achieved: goal.achieved,
            evaluation: event_target_value(&ev),
        };
        ctx.run(args, move |_: Vec<GoalItem>| {
            ctx.refresh.update(|n| *n += 1)
        });
    };
    view! {
        <div class="evaluation">
            <label for=input_id.clone() class="hint"><Tr k="goals.evaluation" /></label>
            <input id=input_id type="text" class="evaluation-input" prop:value=goal.evaluation.clone() on:change=save />
        </div>
    }
}

/// A form to add a goal or learning question (for a meeting, if given).
#[component]
pub fn AddGoal(id: String, meeting: Option<String>) -> impl IntoView {
    let ctx = use_ctx();
    let text = RwSignal::new(String::new());
    let kind = RwSignal::new(GoalKind::Goal);
    let add = move |_| {
        let args = cmd::AddGoal {
            group: id.clone(),
            kind: kind.get_untracked(),
            text: text.get_untracked(),
            meeting: meeting.clone(),
        };
        ctx.run(args, move |_: Vec<GoalItem>| {
            text.set(String::new());
            ctx.refresh.update(|n| *n += 1);
        });
    };
    view! {
        <div class="add-goal">
            <label for="goal-kind" class="sr"><Tr k="goals.kind" /></label>
            <select id="goal-kind" on:change=move |ev| kind.set(if event_target_value(&ev) == "question" { GoalKind::Question } else { GoalKind::Goal })>
                <option value="goal" selected=true>{move || ctx.t("goals.kind.goal")}</option>
                <option value="question">{move || ctx.t("goals.kind.question")}</option>
            </select>
            <label for="goal-text" class="sr"><Tr k="goals.new" /></label>
            <input id="goal-text" type="text" prop:value=move || text.get()
                placeholder=move || ctx.t("goals.placeholder")
                on:input=move |ev| text.set(event_target_value(&ev)) />
            <button id="add-goal" on:click=add><Tr k="goals.add" /></button>
        </div>
    }
}
