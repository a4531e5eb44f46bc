{% if cookiecutter.language == "es" -%}
"""Una muestra sintética y determinista de solicitudes de servicio, para que el piloto corra antes de tener datos reales.

Imita el registro 311 / WhatsApp de una ciudad y contiene el problema que busca la auditoría:
la *necesidad* de servicio es mayor en las zonas de alta marginación, pero sus habitantes
reportan menos, así que las solicitudes subestiman su necesidad. La muestra tiene

- estacionalidad semanal (menos reportes el fin de semana) y anual por categoría;
- feriados nacionales (menos reportes);
- un cambio de canal: la adopción de WhatsApp crece con el tiempo y aumenta los reportes,
  sobre todo en las zonas que menos reportaban;
- subreporte que crece con el estrato de marginación de la zona.

Nada aquí es un dato real; no representa a ninguna persona.
"""
{%- elif cookiecutter.language == "pt" -%}
"""Uma amostra sintética e determinística de solicitações de serviço, para o piloto rodar antes dos dados reais.

Imita o registro 156 / WhatsApp de uma cidade e contém o problema que a auditoria procura: a
*necessidade* de serviço é maior nas zonas mais vulneráveis, mas os seus moradores reclamam
menos, então as solicitações subestimam a necessidade. A amostra tem

- sazonalidade semanal (menos registros no fim de semana) e anual por categoria;
- feriados nacionais (menos registros);
- uma mudança de canal: a adoção do WhatsApp cresce com o tempo e aumenta os registros,
  sobretudo nas zonas que menos registravam;
- sub-registro que cresce com o estrato de vulnerabilidade da zona.

Nada aqui é dado real; nenhuma pessoa é representada.
"""
{%- else -%}
"""A synthetic, deterministic sample of service requests, so the pilot runs before real data.

It is built to look like a city's 311 / WhatsApp log and to contain the problem the audit
looks for: the *need* for service is higher in high-marginalisation zones, but residents
there report less, so requests under-state their need. The sample has

- weekly seasonality (fewer reports at weekends) and yearly seasonality per category;
- national holidays (fewer reports);
- a channel shift: WhatsApp adoption grows over time and raises reporting, most in the
  zones that reported least;
- under-reporting that grows with the zone's marginalisation stratum.

Nothing here is real data; no person is represented.
"""
{%- endif %}

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from {{ cookiecutter.__package }}.holidays import holidays

# Equity strata, from least to most marginalised.
{%- if cookiecutter.language == "es" %}
STRATA = ("bajo", "medio", "alto", "muy_alto")
CHANNELS = ("whatsapp", "telefono", "web", "app")
{%- elif cookiecutter.language == "pt" %}
STRATA = ("baixo", "medio", "alto", "muito_alto")
CHANNELS = ("whatsapp", "telefone", "web", "app")
{%- else %}
STRATA = ("low", "medium", "high", "very_high")
CHANNELS = ("whatsapp", "phone", "web", "app")
{%- endif %}

NEED = np.array([1.0, 1.2, 1.45, 1.7])  # need for service, relative, by stratum
REPORTING = np.array([0.95, 0.8, 0.6, 0.35])  # share of needs that become a request
WEEKDAY = np.array([1.25, 1.15, 1.1, 1.05, 1.0, 0.75, 0.7])
HOLIDAY_FACTOR = 0.45


def generate(
    *,
    categories: tuple[str, ...],
    equity_attribute: str,
    country: str,
    zones: int = 16,
    weeks: int = 156,
    start: str = "2022-01-03",
    seed: int = 7,
    rate_scale: float = 1.0,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return ``(requests, zones)`` in the contract's columns (see ``contract.py``).

    ``rate_scale`` multiplies every request rate: 0.05 gives sparse data (under one request
    per zone, category and week on average).
    """
    rng = np.random.default_rng(seed)
    n_cat = len(categories)
    zone_ids = np.array([f"Z{i + 1:02d}" for i in range(zones)])
    stratum_idx = rng.permutation(np.arange(zones) % len(STRATA))
    population = (rng.integers(8_000, 60_000, zones) // 10) * 10
    zones_table = pd.DataFrame(
        {
            "zone": zone_ids,
            "population": population,
            equity_attribute: np.array(STRATA)[stratum_idx],
        }
    )

    days = pd.date_range(start, periods=weeks * 7, freq="D")
    t_years = np.arange(len(days)) / 365.25
    doy = days.dayofyear.to_numpy()
    holiday_set = set(holidays(country, range(days[0].year, days[-1].year + 1)))
    is_holiday = np.array([day.date() in holiday_set for day in days])
    day_factor = WEEKDAY[days.weekday] / WEEKDAY.mean() * np.where(is_holiday, HOLIDAY_FACTOR, 1.0)
    trend = 1.0 + 0.04 * t_years

    # WhatsApp adoption: a logistic curve, mid-way through the period
    whatsapp = 0.05 + 0.5 / (1.0 + np.exp(-(t_years - t_years[-1] / 2) * 3.0))
    uplift = 1.0 + 0.35 * whatsapp[:, None] * (stratum_idx[None, :] / (len(STRATA) - 1))

    base = rng.uniform(0.1, 0.35, n_cat)  # requests per 1,000 inhabitants per week
    amplitude = rng.uniform(0.15, 0.35, n_cat)
    phase = rng.uniform(0, 365.25, n_cat)
    yearly = 1.0 + amplitude[None, :] * np.sin(2 * np.pi * (doy[:, None] - phase[None, :]) / 365.25)

    rate = (
        (population / 1000.0 * NEED[stratum_idx] * REPORTING[stratum_idx])[None, :, None]
        * (base / 7.0)[None, None, :]
        * (day_factor * trend)[:, None, None]
        * uplift[:, :, None]
        * yearly[:, None, :]
        * rate_scale
    )
    counts = rng.poisson(rate)  # (day, zone, category)

    d_idx, z_idx, c_idx = np.nonzero(counts)
    reps = counts[d_idx, z_idx, c_idx]
    d_idx, z_idx, c_idx = np.repeat(d_idx, reps), np.repeat(z_idx, reps), np.repeat(c_idx, reps)
    n = len(d_idx)
    seconds = rng.uniform(7 * 3600, 21 * 3600, n).astype("int64")
    created = days.to_numpy()[d_idx] + seconds.astype("timedelta64[s]")

    # channel: WhatsApp share grows, phone shrinks
    share_w = whatsapp[d_idx]
    probs = np.column_stack([share_w, 0.55 * (1 - share_w), 0.25 * (1 - share_w), 0.20 * (1 - share_w)])
    channel = (rng.uniform(size=n)[:, None] > np.cumsum(probs, axis=1)).sum(axis=1)
    channel = np.minimum(channel, len(CHANNELS) - 1)

    hours = rng.exponential(48.0 * (1 + 0.5 * stratum_idx[z_idx]))
    closed = created + (hours * 3600).astype("int64").astype("timedelta64[s]")
    still_open = rng.uniform(size=n) < 0.08

    order = np.argsort(created, kind="stable")
    requests = pd.DataFrame(
        {
            "request_id": [f"SR-{i + 1:07d}" for i in range(n)],
            "created_at": pd.to_datetime(created[order]),
            "category": np.array(categories)[c_idx[order]],
            "zone": zone_ids[z_idx[order]],
            "channel": np.array(CHANNELS)[channel[order]],
            "closed_at": pd.to_datetime(closed[order]).where(~still_open[order]),
        }
    )
    return requests, zones_table


def write_sample(requests: pd.DataFrame, zones: pd.DataFrame, requests_path: Path, zones_path: Path) -> None:
    """Write the sample as the CSV files a city export would be."""
    requests_path.parent.mkdir(parents=True, exist_ok=True)
    zones_path.parent.mkdir(parents=True, exist_ok=True)
    requests.to_csv(requests_path, index=False, date_format="%Y-%m-%d %H:%M:%S")
    zones.to_csv(zones_path, index=False)
