"""Every label the report prints, in Russian and English.

Plain text only (no markup): templates autoescape whatever they print. Russian
wording follows the articles the product grew from (ССП — сбалансированная
система показателей; уровни «Финансы», «Клиенты», «Внутренние бизнес-процессы»,
«Обучение и развитие»).
"""

from __future__ import annotations

from scorecard.report.model import Language
from transforms.catalogue import Level

LEVEL_TITLES: dict[Level, dict[Language, str]] = {
    "financial": {"ru": "Финансы", "en": "Financial"},
    "customer": {"ru": "Клиенты", "en": "Customer"},
    "operational": {"ru": "Внутренние бизнес-процессы", "en": "Operational"},
    "growth": {"ru": "Обучение и развитие", "en": "Growth & learning"},
}

LEVEL_LEADS: dict[Level, dict[Language, str]] = {
    "financial": {
        "ru": "Во что сервис обходится и что он приносит: выручка, средний чек, LTV, "
              "удержание выручки и выручка, которую уносит отток.",
        "en": "What service costs and what it earns: revenue, average order value, LTV, "
              "revenue retention and the revenue that walks out with churn.",
    },
    "customer": {
        "ru": "Остаются ли клиенты и довольны ли они: отток, удержание, CSAT, CES, NPS и жалобы.",
        "en": "Do customers stay and are they satisfied: churn, retention, CSAT, CES, NPS "
              "and complaints.",
    },
    "operational": {
        "ru": "Как быстро и с какого раза решаются обращения: поток, очередь, время ответа, "
              "SLA, решение с первого контакта.",
        "en": "How fast and how completely tickets are handled: volume, backlog, response "
              "times, SLA and first-contact resolution.",
    },
    "growth": {
        "ru": "Люди, которые делают сервис: численность, текучесть, обучение, eNPS и нагрузка.",
        "en": "The people behind the service: headcount, attrition, training, eNPS and "
              "workload.",
    },
}

DIM_TITLES: dict[str, dict[Language, str]] = {
    "channel": {"ru": "Канал", "en": "Channel"},
    "cjm_stage": {"ru": "Этап пути клиента", "en": "Customer journey stage"},
    "team": {"ru": "Команда", "en": "Team"},
    "customer_segment": {"ru": "Сегмент клиентов", "en": "Customer segment"},
}

# "by channel": how a chart title names the dimension it breaks a KPI down by.
DIM_BY: dict[str, dict[Language, str]] = {
    "channel": {"ru": "по каналам", "en": "by channel"},
    "cjm_stage": {"ru": "по этапам пути клиента", "en": "by journey stage"},
    "team": {"ru": "по командам", "en": "by team"},
    "customer_segment": {"ru": "по сегментам клиентов", "en": "by customer segment"},
}

# Known dimension values; anything else (teams, customer segments) is printed as given.
SEGMENT_VALUES: dict[str, dict[str, dict[Language, str]]] = {
    "channel": {
        "phone": {"ru": "Телефон", "en": "Phone"},
        "email": {"ru": "Эл. почта", "en": "Email"},
        "chat": {"ru": "Чат", "en": "Chat"},
        "social": {"ru": "Соцсети", "en": "Social media"},
        "messenger": {"ru": "Мессенджеры", "en": "Messenger"},
        "chatbot": {"ru": "Чат-бот", "en": "Chatbot"},
    },
    "cjm_stage": {
        "awareness": {"ru": "Знакомство", "en": "Awareness"},
        "evaluation": {"ru": "Выбор", "en": "Evaluation"},
        "purchase": {"ru": "Покупка", "en": "Purchase"},
        "experience": {"ru": "Использование", "en": "Experience"},
        "loyalty": {"ru": "Лояльность", "en": "Loyalty"},
    },
}
# The canonical entities (data contract), as the data-quality page names them.
ENTITY_TITLES: dict[str, dict[Language, str]] = {
    "customers": {"ru": "Клиенты", "en": "Customers"},
    "orders": {"ru": "Заказы", "en": "Orders"},
    "tickets": {"ru": "Обращения", "en": "Tickets"},
    "agents": {"ru": "Операторы", "en": "Agents"},
    "trainings": {"ru": "Обучение", "en": "Trainings"},
    "survey_responses": {"ru": "Ответы на опросы", "en": "Survey responses"},
    "costs": {"ru": "Затраты", "en": "Costs"},
}

NONE_SEGMENT: dict[Language, str] = {"ru": "(не указано)", "en": "(not set)"}

STATUS_TEXT: dict[str, dict[Language, str]] = {
    "green": {"ru": "В норме", "en": "On target"},
    "amber": {"ru": "Близко к цели", "en": "Near target"},
    "red": {"ru": "Ниже цели", "en": "Off target"},
    "grey": {"ru": "Без оценки", "en": "Not rated"},
}

LABELS: dict[str, dict[Language, str]] = {
    "report_title": {
        "ru": "Сбалансированная система показателей клиентского сервиса",
        "en": "Customer service balanced scorecard",
    },
    "report_kind": {"ru": "Отчёт для руководства", "en": "Executive report"},
    "company": {"ru": "Компания", "en": "Company"},
    "period": {"ru": "Период", "en": "Period"},
    "generated_at": {"ru": "Сформирован", "en": "Generated"},
    "run_id": {"ru": "Запуск", "en": "Run"},
    "contents": {"ru": "Содержание", "en": "Contents"},
    "summary": {"ru": "Главное за период", "en": "Executive summary"},
    "headline": {"ru": "Ключевые показатели", "en": "Headline KPIs"},
    "on_target_line": {
        "ru": "В норме {green} из {rated} показателей с целью; близко к цели — {amber}, "
              "ниже цели — {red}.",
        "en": "{green} of {rated} KPIs with a target are on target; {amber} near target, "
              "{red} off target.",
    },
    "missed": {"ru": "Не достигли цели", "en": "Missed the target"},
    "missed_lead": {
        "ru": "Сначала плохие новости: показатели ниже цели, затем близкие к ней.",
        "en": "Bad news first: KPIs off target, then those near it.",
    },
    "none_missed": {
        "ru": "Все показатели с целью в норме.",
        "en": "Every KPI with a target met it.",
    },
    "improved": {"ru": "Улучшились", "en": "Improved"},
    "improved_lead": {
        "ru": "Показатели, которые изменились в лучшую сторону к предыдущему периоду.",
        "en": "KPIs that moved in the right direction since the previous period.",
    },
    "none_improved": {
        "ru": "К предыдущему периоду ни один показатель не улучшился.",
        "en": "No KPI improved on the previous period.",
    },
    "significant_mark": {"ru": "значимо", "en": "significant"},
    "significant_note": {
        "ru": "«значимо» — изменение больше суммарной 95-процентной погрешности двух периодов.",
        "en": "\u201csignificant\u201d: the change exceeds the combined 95% margin of error "
              "of both periods.",
    },
    "low_sample_mark": {"ru": "мало ответов", "en": "small sample"},
    "low_sample_note": {
        "ru": "«мало ответов» и † — ответов меньше порога выборки: значение не оценивается "
              "цветом.",
        "en": "\u201csmall sample\u201d and \u2020: fewer responses than the sample threshold, "
              "so the value is not colour-rated.",
    },
    "kpi": {"ru": "Показатель", "en": "KPI"},
    "value": {"ru": "Значение", "en": "Value"},
    "target": {"ru": "Цель", "en": "Target"},
    "status": {"ru": "Статус", "en": "Status"},
    "vs_prev": {"ru": "К пред. периоду", "en": "vs previous"},
    "vs_year": {"ru": "К прошлому году", "en": "vs year ago"},
    "vs_baseline": {"ru": "К базе", "en": "vs baseline"},
    "trend": {"ru": "12 периодов", "en": "12 periods"},
    "base_n": {"ru": "База", "en": "Base"},
    "previous_value": {"ru": "было", "en": "was"},
    "breakdowns": {"ru": "Разрезы", "en": "Breakdowns"},
    "trend_chart": {"ru": "{kpi}: последние 12 периодов", "en": "{kpi}: last 12 periods"},
    "bars_chart": {"ru": "{kpi} {by}", "en": "{kpi} {by}"},
    "chart_target": {"ru": "цель", "en": "target"},
    "comments": {"ru": "Что пишут клиенты", "en": "What customers say"},
    "quality": {"ru": "Качество данных", "en": "Data quality"},
    "quality_lead": {
        "ru": "Что прочитано, что отложено в карантин и почему. Контрольные суммы позволяют "
              "сверить отчёт с архивом исходных выгрузок.",
        "en": "What was read, what was quarantined and why. The checksums tie this report to "
              "the archived source exports.",
    },
    "files": {"ru": "Прочитанные выгрузки", "en": "Exports read"},
    "entity": {"ru": "Данные", "en": "Entity"},
    "file": {"ru": "Файл", "en": "File"},
    "rows_read": {"ru": "Строк прочитано", "en": "Rows read"},
    "rows_quarantined": {"ru": "В карантине", "en": "Quarantined"},
    "sha256": {"ru": "SHA-256", "en": "SHA-256"},
    "total": {"ru": "Итого", "en": "Total"},
    "quarantine_rules": {"ru": "Карантин по правилам", "en": "Quarantined rows by rule"},
    "rule": {"ru": "Правило", "en": "Rule"},
    "rows": {"ru": "Строк", "en": "Rows"},
    "no_quarantine": {
        "ru": "Ни одна строка не попала в карантин.",
        "en": "No row was quarantined.",
    },
    "warnings": {"ru": "Предупреждения", "en": "Warnings"},
    "no_warnings": {"ru": "Предупреждений нет.", "en": "No warnings."},
    "glossary": {"ru": "Глоссарий", "en": "Glossary"},
    "glossary_lead": {
        "ru": "Что означает каждый показатель. Период — месяц, квартал или год в часовом поясе "
              "отчёта; «активный клиент» — уже пришедший и ещё не ушедший.",
        "en": "What every KPI means. A period is a month, quarter or year in the report's time "
              "zone; an \u201cactive customer\u201d has joined and not yet left.",
    },
    "page": {"ru": "Стр.", "en": "Page"},
    "of": {"ru": "из", "en": "of"},
    "notice_title": {
        "ru": "Отчёт за период «{period}» не выпущен: проблема с данными",
        "en": "No scorecard for {period}: a data problem",
    },
    "notice_body": {
        "ru": "Проверка входных данных нашла критические ошибки. Отчёт с показателями не "
              "выпускается, пока данные не исправлены: цифры по неверным данным хуже, чем "
              "их отсутствие.",
        "en": "Validation of the input data found critical problems. No KPI report is issued "
              "until the data is fixed: figures computed from bad data are worse than none.",
    },
    "notice_findings": {"ru": "Что найдено", "en": "What was found"},
    "notice_action": {
        "ru": "Исправьте выгрузки, указанные выше, и перезапустите расчёт периода.",
        "en": "Fix the exports named above and run the period again.",
    },
    "email_intro": {
        "ru": "Отчёт ССП за период «{period}» во вложении. Ключевые показатели:",
        "en": "The scorecard for {period} is attached. Headline KPIs:",
    },
}


def labels(language: Language) -> dict[str, str]:
    """All labels of one language, keyed as in LABELS."""
    return {key: texts[language] for key, texts in LABELS.items()}
