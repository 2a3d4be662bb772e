"""Each KPI's name and plain-words definition in Russian and English (from the KPI catalogue).

``better`` says which way a KPI should move when no target gives it a direction;
None for volumes that are neither good nor bad in themselves (tickets created,
headcount).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from scorecard.report.model import Language

Direction = Literal["higher", "lower"]


@dataclass(frozen=True)
class KpiText:
    name_ru: str
    name_en: str
    definition_ru: str
    definition_en: str
    better: Direction | None

    def name(self, language: Language) -> str:
        return self.name_ru if language == "ru" else self.name_en

    def definition(self, language: Language) -> str:
        return self.definition_ru if language == "ru" else self.definition_en


KPI_TEXTS: dict[str, KpiText] = {
    # --- financial ---------------------------------------------------------------
    "financial.net_revenue": KpiText(
        "Чистая выручка", "Net revenue",
        "Сумма оплаченных заказов периода минус сумма возвратов того же периода. "
        "Отменённые заказы не учитываются.",
        "Paid orders of the period minus refunds of the same period. Cancelled orders do "
        "not count.",
        "higher"),
    "financial.aov": KpiText(
        "Средний чек", "Average order value",
        "Сумма оплаченных заказов, делённая на их число.",
        "Total of paid orders divided by their number.",
        "higher"),
    "financial.purchase_frequency": KpiText(
        "Частота покупок", "Purchase frequency",
        "Сколько оплаченных заказов в среднем сделал один покупавший клиент за период.",
        "How many paid orders one paying customer placed in the period, on average.",
        "higher"),
    "financial.arpu": KpiText(
        "Выручка на клиента (ARPU)", "Revenue per customer (ARPU)",
        "Чистая выручка, делённая на среднюю клиентскую базу (среднее между началом и "
        "концом периода).",
        "Net revenue divided by the average customer base (the mean of the base at the "
        "start and at the end of the period).",
        "higher"),
    "financial.ltv": KpiText(
        "Пожизненная ценность клиента (LTV)", "Customer lifetime value (LTV)",
        "Сколько денег приносит клиент за всё время с компанией: средний чек × частота "
        "покупок × жизненный цикл в месяцах × валовая маржа. Пусто, если оттока нет.",
        "How much a customer brings in over their whole time with the company: average "
        "order value × purchase frequency × lifetime in months × gross margin. Empty when "
        "there is no churn.",
        "higher"),
    "financial.nrr": KpiText(
        "Удержание выручки (NRR)", "Net revenue retention (NRR)",
        "Выручка периода от клиентов, которые были с нами на его начало, в процентах от "
        "выручки тех же клиентов в предыдущем периоде. Больше 100 % — клиенты тратят больше.",
        "Revenue of the period from customers who were with us at its start, as a percentage "
        "of the same customers' revenue in the previous period. Above 100% they spend more.",
        "higher"),
    "financial.churned_revenue": KpiText(
        "Выручка ушедших клиентов", "Revenue lost to churn",
        "Выручка за последние 12 месяцев от клиентов, которые ушли в этом периоде: "
        "годовые деньги, которые уходят вместе с ними.",
        "The last 12 months' revenue of customers who left in this period: the yearly money "
        "that walks out with them.",
        "lower"),
    "financial.cost_per_ticket": KpiText(
        "Стоимость обращения", "Cost per ticket",
        "Затраты на сервис за период, делённые на число новых обращений. Пусто, если "
        "выгрузки затрат нет.",
        "Service cost of the period divided by the tickets created in it. Empty without a "
        "cost export.",
        "lower"),
    # --- customer ----------------------------------------------------------------
    "customer.churn_rate": KpiText(
        "Отток клиентов", "Customer churn",
        "Доля клиентов, которые были на начало периода и ушли до его конца. Новые клиенты "
        "периода не учитываются.",
        "Share of the customers at the start of the period who left before its end. "
        "Customers acquired during the period are left out.",
        "lower"),
    "customer.retention_rate": KpiText(
        "Удержание клиентов", "Customer retention",
        "Доля клиентов начала периода, которые остались к его концу: 100 % минус отток.",
        "Share of the customers at the start of the period still with us at its end: 100% "
        "minus churn.",
        "higher"),
    "customer.lifetime_months": KpiText(
        "Жизненный цикл клиента", "Customer lifetime",
        "Сколько месяцев в среднем остаётся клиент при нынешнем оттоке: 1 / отток. "
        "Пример: отток 40 % в год — жизненный цикл 2,5 года, то есть 30 месяцев.",
        "How many months a customer stays at the current churn: 1 / churn. Example: 40% "
        "yearly churn gives a lifetime of 2.5 years, that is 30 months.",
        "higher"),
    "customer.csat_mean": KpiText(
        "CSAT, средняя оценка", "CSAT, mean score",
        "Средняя оценка удовлетворённости в ответах на опрос CSAT за период (по умолчанию "
        "шкала 0–5, от «очень плохо» до «отлично»).",
        "Mean satisfaction score of the CSAT survey answers of the period (default scale "
        "0–5, from \u201cvery bad\u201d to \u201cexcellent\u201d).",
        "higher"),
    "customer.csat_pct": KpiText(
        "CSAT, доля довольных", "CSAT, satisfied share",
        "Доля ответов CSAT с оценкой не ниже порога «доволен» (по умолчанию 4).",
        "Share of CSAT answers scoring at or above the \u201csatisfied\u201d threshold "
        "(default 4).",
        "higher"),
    "customer.nps": KpiText(
        "NPS (индекс лояльности)", "NPS (Net Promoter Score)",
        "Готовность рекомендовать компанию по шкале 0–10: доля промоутеров (9–10) минус "
        "доля критиков (0–6). От −100 до 100.",
        "Willingness to recommend on a 0–10 scale: share of promoters (9–10) minus share of "
        "detractors (0–6). From −100 to 100.",
        "higher"),
    "customer.nps_moe": KpiText(
        "NPS, погрешность 95 %", "NPS margin of error (95%)",
        "На сколько пунктов NPS может отличаться от истинного из-за размера выборки (95 % "
        "доверительный интервал). Изменение NPS меньше погрешности — не сигнал.",
        "How many points NPS may differ from the true value because of the sample size (95% "
        "confidence). A change smaller than this is not a signal.",
        None),
    "customer.ces_mean": KpiText(
        "CES, средние усилия клиента", "CES, mean customer effort",
        "Средний ответ на вопрос «насколько трудно было решить ваш вопрос» (по умолчанию "
        "0–5, больше — труднее).",
        "Mean answer to \u201chow hard was it to get your issue solved\u201d (default 0–5, "
        "higher means more effort).",
        "lower"),
    "customer.low_effort_pct": KpiText(
        "Лёгкие обращения (CES)", "Low-effort share (CES)",
        "Доля ответов CES, в которых клиенту было легко (по умолчанию оценка 0 или 1).",
        "Share of CES answers saying it was easy (by default a score of 0 or 1).",
        "higher"),
    "customer.complaints": KpiText(
        "Жалобы", "Complaints",
        "Новые обращения периода, отмеченные как жалоба.",
        "Tickets created in the period that are marked as a complaint.",
        "lower"),
    "customer.complaint_rate": KpiText(
        "Жалобы на 1000 клиентов", "Complaints per 1,000 customers",
        "Жалобы периода на 1000 клиентов средней клиентской базы.",
        "Complaints of the period per 1,000 customers of the average customer base.",
        "lower"),
    "customer.survey_response_rate": KpiText(
        "Отклик на опрос CSAT", "CSAT survey response rate",
        "Ответы CSAT, привязанные к обращению, в процентах от решённых за период обращений.",
        "CSAT answers linked to a ticket as a percentage of the tickets resolved in the "
        "period.",
        "higher"),
    # --- operational -------------------------------------------------------------
    "operational.tickets_created": KpiText(
        "Новые обращения", "Tickets created",
        "Сколько обращений поступило за период.",
        "How many tickets were opened in the period.",
        None),
    "operational.tickets_resolved": KpiText(
        "Решённые обращения", "Tickets resolved",
        "Сколько обращений решено за период, когда бы они ни поступили.",
        "How many tickets were resolved in the period, whenever they were opened.",
        None),
    "operational.backlog_end": KpiText(
        "Очередь на конец периода", "Open backlog at period end",
        "Обращения, поступившие до конца периода и не решённые к его концу.",
        "Tickets opened before the end of the period and still unresolved at its end.",
        "lower"),
    "operational.frt_median_min": KpiText(
        "Первый ответ, медиана", "First response time, median",
        "Типичное время до первого ответа оператора, в минутах: половина новых обращений "
        "периода получила ответ быстрее.",
        "Typical time to the first reply, in minutes: half of the period's new tickets were "
        "answered faster.",
        "lower"),
    "operational.frt_p90_min": KpiText(
        "Первый ответ, 90-й перцентиль", "First response time, 90th percentile",
        "Время первого ответа, в которое уложились 90 % новых обращений: показывает, как "
        "долго ждут самые невезучие клиенты.",
        "First response time within which 90% of new tickets were answered: how long the "
        "unluckiest customers wait.",
        "lower"),
    "operational.sla_frt_pct": KpiText(
        "Первый ответ в срок (SLA)", "First response within SLA",
        "Доля новых обращений, на которые ответили в срок своего канала (соцсети 30 мин, "
        "мессенджеры 60, чат 5, чат-бот и телефон 1, почта 1440).",
        "Share of new tickets answered within their channel's target (social 30 min, "
        "messenger 60, chat 5, chatbot and phone 1, email 1440).",
        "higher"),
    "operational.resolution_median_h": KpiText(
        "Время решения, медиана", "Resolution time, median",
        "Типичное время от обращения до решения, в часах, по обращениям, решённым за период.",
        "Typical time from opening to resolution, in hours, for tickets resolved in the "
        "period.",
        "lower"),
    "operational.resolution_p90_h": KpiText(
        "Время решения, 90-й перцентиль", "Resolution time, 90th percentile",
        "Время, за которое решены 90 % обращений периода, в часах.",
        "Time within which 90% of the period's resolved tickets were resolved, in hours.",
        "lower"),
    "operational.fcr_pct": KpiText(
        "Решено с первого контакта (FCR)", "First-contact resolution (FCR)",
        "Доля решённых обращений, где клиенту хватило одного контакта и обращение не "
        "открывали повторно.",
        "Share of resolved tickets that took one contact and were never reopened.",
        "higher"),
    "operational.reopen_pct": KpiText(
        "Повторно открытые", "Reopened tickets",
        "Доля решённых за период обращений, которые открывались повторно.",
        "Share of tickets resolved in the period that were reopened at least once.",
        "lower"),
    "operational.aht_min": KpiText(
        "Время обработки (AHT)", "Average handle time (AHT)",
        "Среднее время работы оператора над решённым обращением, в минутах.",
        "Average time an agent spent working on a resolved ticket, in minutes.",
        None),
    "operational.contacts_per_resolution": KpiText(
        "Контактов на решение", "Contacts per resolution",
        "Сколько раз в среднем клиенту пришлось обратиться, чтобы вопрос решили: чем "
        "меньше действий от клиента, тем он лояльнее.",
        "How many times a customer had to reach out before the issue was solved: the fewer "
        "steps a customer must take, the more loyal they are.",
        "lower"),
    "operational.off_hours_frt_ratio": KpiText(
        "Ответ в нерабочее время", "Off-hours response ratio",
        "Медиана первого ответа ночью и в выходные, делённая на медиану в рабочее время. "
        "1,0 — отвечаем так же быстро, как в будни (этого ждут 57 % клиентов).",
        "Median first response at night and on weekends divided by the median in business "
        "hours. 1.0 means as fast as on a weekday (57% of customers expect that).",
        "lower"),
    "operational.bot_containment_pct": KpiText(
        "Решено чат-ботом", "Chatbot containment",
        "Доля обращений в чат-бот, решённых без подключения оператора.",
        "Share of chatbot tickets resolved without an agent.",
        "higher"),
    # --- growth & learning -------------------------------------------------------
    "growth.headcount_end": KpiText(
        "Операторы на конец периода", "Agents at period end",
        "Сколько операторов работает на конец периода.",
        "How many agents are employed at the end of the period.",
        None),
    "growth.hires": KpiText(
        "Принято операторов", "Agents hired",
        "Сколько операторов вышло на работу за период.",
        "How many agents started in the period.",
        None),
    "growth.leavers": KpiText(
        "Ушло операторов", "Agents who left",
        "Сколько операторов уволилось за период.",
        "How many agents left in the period.",
        "lower"),
    "growth.attrition_pct": KpiText(
        "Текучесть персонала", "Staff attrition",
        "Ушедшие операторы в процентах от средней численности за период.",
        "Agents who left as a percentage of the average headcount of the period.",
        "lower"),
    "growth.training_hours_per_agent": KpiText(
        "Часы обучения на оператора", "Training hours per agent",
        "Часы завершённых за период обучений на одного оператора средней численности.",
        "Hours of training completed in the period per agent of the average headcount.",
        "higher"),
    "growth.enps": KpiText(
        "eNPS (лояльность сотрудников)", "eNPS (employee NPS)",
        "Готовность сотрудников рекомендовать компанию как место работы: считается так же, "
        "как NPS.",
        "Employees' willingness to recommend the company as a place to work, computed like "
        "NPS.",
        "higher"),
    "growth.tickets_per_agent": KpiText(
        "Решённых обращений на оператора", "Tickets resolved per agent",
        "Решённые за период обращения на одного оператора средней численности: нагрузка.",
        "Tickets resolved in the period per agent of the average headcount: the workload.",
        None),
    "growth.new_agent_csat_gap": KpiText(
        "Разрыв CSAT у новичков", "New-agent CSAT gap",
        "Доля довольных клиентов у операторов со стажем меньше 90 дней минус та же доля у "
        "опытных, в процентных пунктах. Ниже нуля — новичкам нужна поддержка.",
        "Satisfied share of customers served by agents with less than 90 days' tenure minus "
        "that of experienced agents, in percentage points. Below zero, new agents need "
        "support.",
        "higher"),
}


def kpi_text(kpi_id: str) -> KpiText:
    return KPI_TEXTS[kpi_id]
