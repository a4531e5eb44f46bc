"""Demanda de servicios Guadalajara: pronóstico semanal de solicitudes de servicio por zona y categoría.

Generado con la plantilla de piloto municipal de auditkit 0.7.2.
"""

__version__ = "0.1.0"

CITY = "Guadalajara"
COUNTRY = "MX"
LANGUAGE = "es"
PILOT_NAME = "guadalajara-demanda-servicios"
PILOT_TYPE = "service-demand-forecast"
TASK = "forecast"
TEMPLATE_VERSION = "0.7.2"
EQUITY_ATTRIBUTE = "estrato_marginacion"
