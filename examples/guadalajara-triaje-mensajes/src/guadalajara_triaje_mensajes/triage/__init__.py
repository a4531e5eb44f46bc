"""Triaje de mensajes de residentes: cada mensaje al servicio que le corresponde, con los datos personales borrados antes de aprender."""
