{% if cookiecutter.language == "es" -%}
"""Triaje de mensajes de residentes: cada mensaje al servicio que le corresponde, con los datos personales borrados antes de aprender."""

{%- elif cookiecutter.language == "pt" -%}
"""Triagem de mensagens de moradores: cada mensagem ao serviço certo, com os dados pessoais apagados antes de aprender."""
{%- else -%}
"""Triage of residents' messages: each message to the right service, personal data redacted before anything is learned."""
{%- endif %}
